import {
  amendByOf,
  applicantStatusLabel,
  applicantTimeline,
  type InternalTimelineEvent,
  PROGRAM_ACTOR,
} from '../../../libs/domain/intake/applicant-timeline';

const at = '2026-01-05T10:00:00.000Z';
const event = (action: string, actor: string, detail: Record<string, unknown> = {}): InternalTimelineEvent => ({
  at,
  action,
  actor,
  detail,
});

/** A full internal history with every kind of pre-decisional material an agency records. */
const INTERNAL: InternalTimelineEvent[] = [
  event('SUBMITTED', 'applicant.acme'),
  event('STATUS_SCREENING', 'system', { from: 'SUBMITTED', reason: 'Received: completeness, eligibility and party screening started' }),
  event('SCREENED', 'system', { deficiencies: ['MISSING_SECURITY'], possibleMatches: 2, listChecksum: 'abc123' }),
  event('STATUS_RETURNED_FOR_INFORMATION', 'system', {
    from: 'SCREENING',
    reason: 'Incomplete under EO 14320 sec. 3(b): MISSING_SECURITY; amend by 2026-02-05T10:00:00.000Z',
  }),
  event('AMENDED', 'applicant.acme', { version: 2, sections: ['stack'] }),
  event('STATUS_SCREENING', 'system', { from: 'RETURNED_FOR_INFORMATION', reason: 'Amended (version 2): screening again' }),
  event('STATUS_ADJUDICATION', 'system', { from: 'SCREENING', reason: '2 possible screening list match(es) to adjudicate' }),
  event('TASK_OPENED', 'system', { taskId: 't1', type: 'SCREENING_ADJUDICATION', agency: 'COMMERCE' }),
  event('TASK_CLAIMED', 'commerce.compliance', { taskId: 't1' }),
  event('SCREENING_ADJUDICATED', 'commerce.compliance', { decision: 'CLEAR', comment: 'Namesake, different registry number' }),
  event('STATUS_UNDER_REVIEW', 'system', { from: 'ADJUDICATION', reason: 'Screened clean: agency reviews open' }),
  event('TASK_COMPLETED', 'state.reviewer', {
    type: 'AGENCY_REVIEW',
    agency: 'STATE',
    decision: 'NON_CONCUR',
    comment: 'Diversion risk to a D:5 neighbour',
  }),
  event('TASK_REMINDER', 'system', { taskId: 't2', reason: 'Reminder: the task is approaching its due date' }),
  event('TASK_ESCALATED', 'system', { taskId: 't2', reason: "Due date passed: escalated to the agency's supervisor" }),
  event('INFORMATION_REQUESTED', 'state.reviewer', {
    requestId: 'r1',
    taskId: 't2',
    agency: 'STATE',
    question: 'Who operates the Nairobi site?',
    tolling: "SLA clock paused while the applicant answers STATE's request for information",
  }),
  event('INFORMATION_ANSWERED', 'applicant.acme', { requestId: 'r1', taskId: 't2', pausedMs: 7000, tolling: 'SLA clock resumed' }),
  event('STATUS_AWAITING_DETERMINATION', 'system', { from: 'UNDER_REVIEW', reason: 'All required reviews in; non-concurrence: STATE' }),
  event('TASK_COMPLETED', 'commerce.decider', {
    type: 'DESIGNATION_DECISION',
    agency: 'COMMERCE',
    decision: 'DESIGNATE',
    comment: 'Conditions mitigate the diversion risk',
  }),
  event('STATUS_FINANCING', 'commerce.decider', {
    from: 'AWAITING_DETERMINATION',
    reason: 'Designated a priority AI export package by commerce.decider',
  }),
  event('FINANCING_ROUTED', 'system', { suggestions: 2, sba: 'PENDING' }),
  event('FINANCING_ASSIGNED', 'edag.coordinator', { referralId: 'f1', instrumentId: 'EXIM_LOAN', agency: 'EXIM', amountUsd: 5 }),
  event('FINANCING_COMMITTED', 'exim.officer', { referralId: 'f1', amountUsd: 5_000_000, comment: 'Board approval pending' }),
  event('SBA_REFERRAL_ACCEPTED', 'sba.officer', { comment: 'Strong 8(a) candidate' }),
  event('STATUS_COMPLETED', 'system', { from: 'FINANCING', reason: 'Every financing and SBA referral has an outcome' }),
];

const STAFF = ['commerce.compliance', 'state.reviewer', 'commerce.decider', 'edag.coordinator', 'exim.officer', 'sba.officer'];
const INTERNAL_TEXT = [
  'Diversion risk',
  'Conditions mitigate',
  'Namesake',
  'non-concurrence',
  'NON_CONCUR',
  'possible screening list match',
  'Board approval',
  '8(a) candidate',
  'escalated',
  'abc123',
  'SLA clock',
];

describe('the applicant timeline (docs/spec.md section 1)', () => {
  const shown = applicantTimeline(INTERNAL);
  const json = JSON.stringify(shown);

  it('shows only the allow-listed actions, in order', () => {
    expect(shown.map((e) => e.action)).toEqual([
      'SUBMITTED',
      'STATUS_SCREENING',
      'STATUS_RETURNED_FOR_INFORMATION',
      'AMENDED',
      'STATUS_SCREENING',
      'STATUS_ADJUDICATION',
      'STATUS_UNDER_REVIEW',
      'INFORMATION_REQUESTED',
      'INFORMATION_ANSWERED',
      'STATUS_AWAITING_DETERMINATION',
      'DESIGNATION_DECIDED',
      'STATUS_FINANCING',
      'FINANCING_COMMITTED',
      'SBA_REFERRAL_ACCEPTED',
      'STATUS_COMPLETED',
    ]);
  });

  it('never carries a staff name, position, comment, condition or internal reason', () => {
    for (const name of STAFF) expect(json).not.toContain(name);
    for (const text of INTERNAL_TEXT) expect(json).not.toContain(text);
    expect(json).not.toContain('"from"');
    expect(json).not.toContain('taskId');
  });

  it("names the applicant for its own actions and the program for everyone else's", () => {
    expect(shown.filter((e) => e.actor !== PROGRAM_ACTOR).map((e) => e.action)).toEqual(['SUBMITTED', 'AMENDED', 'INFORMATION_ANSWERED']);
    expect(new Set(shown.filter((e) => e.actor !== PROGRAM_ACTOR).map((e) => e.actor))).toEqual(new Set(['applicant.acme']));
  });

  it('gives status changes applicant-facing reasons, written for the applicant', () => {
    const reasons = Object.fromEntries(shown.filter((e) => e.action.startsWith('STATUS_')).map((e) => [e.action, e.detail.reason]));
    expect(reasons.STATUS_ADJUDICATION).toBe('Your proposal is under compliance review.');
    expect(reasons.STATUS_AWAITING_DETERMINATION).toBe('The interagency review is complete; the designation decision is pending.');
    expect(reasons.STATUS_FINANCING).toMatch(/^Your proposal was designated a priority AI export package/);
    for (const e of INTERNAL.filter((x) => x.action.startsWith('STATUS_'))) expect(json).not.toContain(String(e.detail?.reason));
  });

  it('lists the deficiencies and the amend-by date of a return for information', () => {
    const returned = shown.find((e) => e.action === 'STATUS_RETURNED_FOR_INFORMATION');
    expect(returned?.detail).toEqual({
      reason: 'Your proposal is incomplete under EO 14320 sec. 3(b) (see the deficiencies listed): amend by 2026-02-05T10:00:00.000Z',
      deficiencies: ['MISSING_SECURITY'],
      amendBy: '2026-02-05T10:00:00.000Z',
    });
  });

  it('shows the question addressed to the applicant, not who asked it', () => {
    expect(shown.find((e) => e.action === 'INFORMATION_REQUESTED')).toEqual({
      at,
      action: 'INFORMATION_REQUESTED',
      actor: PROGRAM_ACTOR,
      detail: {
        reason: 'A reviewing agency asks you for information; the review waits for your answer.',
        requestId: 'r1',
        agency: 'STATE',
        question: 'Who operates the Nairobi site?',
      },
    });
  });

  it('gives the designation outcome without its reasoning, and hides every other task outcome', () => {
    expect(shown.find((e) => e.action === 'DESIGNATION_DECIDED')?.detail).toEqual({
      reason: 'Your proposal was designated a priority AI export package (EO 14320 sec. 3(d)).',
      decision: 'DESIGNATE',
    });
    expect(shown.filter((e) => e.action === 'DESIGNATION_DECIDED')).toHaveLength(1);
  });

  it('drops unknown actions and unknown statuses rather than passing them through', () => {
    expect(applicantTimeline([event('SOMETHING_NEW', 'state.reviewer', { reason: 'secret' }), event('STATUS_BOGUS', 'x')])).toEqual([]);
    expect(applicantTimeline([event('toString', 'x'), event('__proto__', 'x')])).toEqual([]);
  });

  it('tells a withdrawal by the applicant from a lapsed amendment window', () => {
    const [own, lapsed] = applicantTimeline([
      event('STATUS_WITHDRAWN', 'applicant.acme', { reason: 'Withdrawn by the applicant: merger talks with Globex' }),
      event('STATUS_WITHDRAWN', 'system', { reason: 'The amendment window lapsed without an amendment' }),
    ]);
    // The applicant's own reason is its own to read again.
    expect(own).toEqual(
      expect.objectContaining({ actor: 'applicant.acme', detail: { reason: 'Withdrawn by the applicant: merger talks with Globex' } }),
    );
    expect(applicantTimeline([event('STATUS_WITHDRAWN', 'applicant.acme', { reason: 'something else' })])[0].detail.reason).toBe(
      'Your proposal was withdrawn at your request.',
    );
    expect(lapsed).toEqual(
      expect.objectContaining({
        actor: PROGRAM_ACTOR,
        detail: { reason: 'Your proposal was withdrawn: the amendment window lapsed without an amendment.' },
      }),
    );
  });
});

describe('amend-by date and status labels', () => {
  it('reads only a well-formed instant after "amend by"', () => {
    expect(amendByOf(event('STATUS_RETURNED_FOR_INFORMATION', 'system', { reason: 'x; amend by 2026-02-05T10:00:00.000Z' }))).toBe(
      '2026-02-05T10:00:00.000Z',
    );
    expect(amendByOf(event('STATUS_RETURNED_FOR_INFORMATION', 'system', { reason: 'x; amend by <script>' }))).toBeNull();
    expect(amendByOf(undefined)).toBeNull();
  });

  it('reads ADJUDICATION as under compliance review', () => {
    expect(applicantStatusLabel('ADJUDICATION')).toBe('Under compliance review');
    expect(applicantStatusLabel('NOPE')).toBeNull();
  });
});
