import { daysUntil, dependencyCycle, milestoneStatus, planDate, planStatus } from '../../../libs/domain/program/plan';

describe('program plan dates and status (EO 14320 sec. 3(a), docs/spec.md section 2.5)', () => {
  it('counts plan days as calendar days: day 90 from 2025-07-23 is 2025-10-21', () => {
    expect(planDate('2025-07-23', 90)).toBe('2025-10-21');
    expect(daysUntil('2025-10-21', '2025-07-23')).toBe(90);
  });

  it('marks a milestone overdue only after its due date', () => {
    expect(milestoneStatus({ dueDate: '2025-10-21', completedAt: null }, '2025-10-21')).toBe('PENDING');
    expect(milestoneStatus({ dueDate: '2025-10-21', completedAt: null }, '2025-10-22')).toBe('OVERDUE');
    expect(milestoneStatus({ dueDate: '2025-10-21', completedAt: '2025-11-01T00:00:00Z' }, '2025-12-01')).toBe('DONE');
  });

  it.each([
    ['ON_TRACK', [{ dueDate: '2025-10-21', completedAt: null }], '2025-08-01'],
    ['AT_RISK', [{ dueDate: '2025-10-21', completedAt: null }], '2025-10-14'],
    ['OVERDUE', [{ dueDate: '2025-10-21', completedAt: null }], '2025-10-22'],
    ['ESTABLISHED', [{ dueDate: '2025-10-21', completedAt: '2025-10-20T00:00:00Z' }], '2025-12-22'],
  ] as const)('rolls up to %s', (status, milestones, today) => {
    expect(planStatus([...milestones], '2025-10-21', today)).toBe(status);
  });

  it('finds dependency cycles, which would make a plan impossible to establish', () => {
    expect(
      dependencyCycle([
        { key: 'a', dependsOn: [] },
        { key: 'b', dependsOn: ['a'] },
      ]),
    ).toEqual([]);
    expect(
      dependencyCycle([
        { key: 'a', dependsOn: ['c'] },
        { key: 'b', dependsOn: ['a'] },
        { key: 'c', dependsOn: ['b'] },
      ]),
    ).toEqual(['a', 'c', 'b']);
  });
});
