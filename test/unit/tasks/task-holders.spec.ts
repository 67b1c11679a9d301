import { holderRoles, mayHoldTask } from '../../../libs/domain/tasks/task-holders';
import { TASK_TYPE_NAMES } from '../../../libs/domain/tasks/task-types';

describe('who may hold a task (docs/spec.md sections 1, 3 and 7)', () => {
  it("gives each type its own roles and the agency's supervisor", () => {
    expect(holderRoles('AGENCY_REVIEW')).toEqual(['REVIEWER', 'SUPERVISOR']);
    expect(holderRoles('FINANCING_REVIEW')).toEqual(['FINANCING_OFFICER', 'SUPERVISOR']);
    for (const type of TASK_TYPE_NAMES) expect(holderRoles(type)).toContain('SUPERVISOR');
  });

  const review = { agency: 'COMMERCE', type: 'AGENCY_REVIEW' } as const;
  it.each([
    ['a reviewer of the agency', { roles: ['REVIEWER'], agency: 'COMMERCE' }, true],
    ['its supervisor', { roles: ['SUPERVISOR'], agency: 'COMMERCE' }, true],
    ['one role of several fitting', { roles: ['COMPLIANCE_OFFICER', 'REVIEWER'], agency: 'COMMERCE' }, true],
    ['a reviewer of another agency', { roles: ['REVIEWER'], agency: 'STATE' }, false],
    ['a supervisor of another agency', { roles: ['SUPERVISOR'], agency: 'STATE' }, false],
    ['another role of the agency', { roles: ['DECIDING_OFFICIAL'], agency: 'COMMERCE' }, false],
    ['oversight without an agency', { roles: ['AUDITOR'], agency: null }, false],
  ] as const)('%s: %j -> %s', (_, user, expected) => {
    expect(mayHoldTask(user, review)).toBe(expected);
  });
});
