import { loadConfig } from '../../../libs/config';
import { addBusinessDays, isBusinessDay } from '../../../libs/domain/shared/business-days';
import { taskDeadlines } from '../../../libs/domain/tasks/sla';
import { validateCompletion } from '../../../libs/domain/tasks/task-types';

describe('validateCompletion (docs/spec.md section 2.3, 3)', () => {
  it.each([
    ['AGENCY_REVIEW', { decision: 'CONCUR' }, []],
    ['AGENCY_REVIEW', { decision: 'CONCUR_WITH_CONDITIONS' }, ['conditions']],
    ['AGENCY_REVIEW', { decision: 'CONCUR_WITH_CONDITIONS', conditions: ['  '] }, ['conditions']],
    ['AGENCY_REVIEW', { decision: 'CONCUR_WITH_CONDITIONS', conditions: ['No D:5 re-export'] }, []],
    ['AGENCY_REVIEW', { decision: 'NON_CONCUR' }, ['comment']],
    ['AGENCY_REVIEW', { decision: 'NON_CONCUR', comment: 'Diversion risk' }, []],
    ['AGENCY_REVIEW', { decision: 'DESIGNATE' }, ['decision']],
    ['SCREENING_ADJUDICATION', { decision: 'CLEAR' }, []],
    ['SCREENING_ADJUDICATION', { decision: 'CONFIRM_MATCH' }, ['comment']],
    ['DESIGNATION_DECISION', { decision: 'DESIGNATE' }, []],
    ['DESIGNATION_DECISION', { decision: 'DECLINE' }, ['comment']],
  ] as const)('%s %j -> problems on %j', (type, completion, fields) => {
    expect(validateCompletion(type, completion).map((p) => p.field)).toEqual(fields);
  });

  it('requires a comment to designate over a non-concurrence', () => {
    expect(validateCompletion('DESIGNATION_DECISION', { decision: 'DESIGNATE' }, { anyNonConcurrence: true }).map((p) => p.field)).toEqual([
      'comment',
    ]);
    expect(
      validateCompletion(
        'DESIGNATION_DECISION',
        { decision: 'DESIGNATE', comment: 'Mitigated by conditions' },
        { anyNonConcurrence: true },
      ),
    ).toEqual([]);
  });
});

describe('federal business days', () => {
  it('skips weekends and observed federal holidays', () => {
    expect(isBusinessDay(new Date('2026-11-26T15:00:00Z'))).toBe(false); // Thanksgiving
    expect(isBusinessDay(new Date('2026-07-03T15:00:00Z'))).toBe(false); // Independence Day observed (4 July is a Saturday)
    expect(isBusinessDay(new Date('2026-11-28T15:00:00Z'))).toBe(false); // Saturday
    expect(isBusinessDay(new Date('2026-11-27T15:00:00Z'))).toBe(true);
  });

  it('counts 10 business days across Thanksgiving', () => {
    // Mon 23 Nov 2026 + 10 business days: 24, 25, 27, 30 Nov, 1, 2, 3, 4, 7, 8 Dec.
    expect(addBusinessDays(new Date('2026-11-23T14:00:00Z'), 10).toISOString()).toBe('2026-12-08T14:00:00.000Z');
  });

  it('derives task deadlines from the SLA table and configuration', () => {
    const opened = new Date('2026-11-23T14:00:00Z');
    const review = taskDeadlines('AGENCY_REVIEW', opened, loadConfig({ NODE_ENV: 'test', REVIEW_SLA: '10s', REVIEW_REMINDER_AT: '0.5' }));
    expect(review).toEqual({ dueAt: '2026-11-23T14:00:10.000Z', reminderAt: '2026-11-23T14:00:05.000Z', onBreach: 'ESCALATE' });
    expect(taskDeadlines('CONSULTATION', opened, loadConfig({ NODE_ENV: 'test' })).onBreach).toBe('LAPSE');
    expect(taskDeadlines('AGENCY_REVIEW', opened, loadConfig({ NODE_ENV: 'test' })).dueAt).toBe('2026-12-08T14:00:00.000Z');
  });
});
