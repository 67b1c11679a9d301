import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AuditQueryDto } from '../../../apps/api/src/audit/audit.controller';
import { MAX_PAGE } from '../../../apps/api/src/common/dto-decorators';
import { fieldProblems } from '../../../apps/api/src/common/validation';
import { ProposalListQuery } from '../../../apps/api/src/proposals/proposal-list.query';
import { TaskListQuery } from '../../../apps/api/src/tasks/tasks.dto';

const QUERIES = { ProposalListQuery, TaskListQuery, AuditQueryDto } as const;

function parse(type: new () => object, query: Record<string, unknown>) {
  const instance = plainToInstance(type, query) as Record<string, unknown>;
  const problems = fieldProblems(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }));
  return { instance, problems };
}

describe.each(Object.entries(QUERIES))('%s paging bounds', (_, type) => {
  it.each(['1000000000000000000', '99999999999999999999', '1e18', '1e3', '-1', '0', '1.5', 'abc', '0x10', '', ' 1', String(MAX_PAGE + 1)])(
    'refuses page=%j with a field detail',
    (page) => {
      expect(parse(type, { page }).problems.map((p) => p.field)).toEqual(['page']);
    },
  );

  it.each(['0', '-5', '101000', '2.5', '1e2', 'many'])('refuses pageSize=%j with a field detail', (pageSize) => {
    expect(parse(type, { pageSize }).problems.map((p) => p.field)).toEqual(['pageSize']);
  });

  it('refuses a repeated page', () => {
    expect(parse(type, { page: ['1', '2'] }).problems.map((p) => p.field)).toEqual(['page']);
  });

  it('accepts the bounds and defaults when absent', () => {
    expect(parse(type, { page: '1', pageSize: '1' }).problems).toEqual([]);
    const { instance, problems } = parse(type, { page: String(MAX_PAGE) });
    expect(problems).toEqual([]);
    expect(instance.page).toBe(MAX_PAGE);
    expect(parse(type, {}).instance.page).toBe(1);
  });
});

it('keeps each list’s page size limit: 100 for proposals and tasks, 500 for the audit trail', () => {
  expect(parse(ProposalListQuery, { pageSize: '100' }).problems).toEqual([]);
  expect(parse(ProposalListQuery, { pageSize: '101' }).problems.map((p) => p.message)).toEqual([
    'pageSize must be a whole number from 1 to 100',
  ]);
  expect(parse(TaskListQuery, { pageSize: '101' }).problems).toHaveLength(1);
  expect(parse(AuditQueryDto, { pageSize: '500' }).problems).toEqual([]);
  expect(parse(AuditQueryDto, { pageSize: '501' }).problems).toHaveLength(1);
});

it('takes the inbox deadline filters one at a time: overdue with dueWithinDays is refused on dueWithinDays', () => {
  expect(parse(TaskListQuery, { overdue: 'true' }).problems).toEqual([]);
  expect(parse(TaskListQuery, { dueWithinDays: '3' }).problems).toEqual([]);
  expect(parse(TaskListQuery, { overdue: 'true', dueWithinDays: '3' }).problems).toEqual([
    { field: 'dueWithinDays', message: 'dueWithinDays cannot be combined with overdue' },
  ]);
});
