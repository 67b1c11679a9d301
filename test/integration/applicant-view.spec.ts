import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

/** Marked texts the agencies write: none may reach the applicant (docs/spec.md section 1). */
const ADJUDICATION_NOTE = 'Unrelated reseller ADJ-NOTE-7731';
const NON_CONCUR_COMMENT = 'Diversion risk to a D:5 neighbour CMT-5521';
const CONDITION = 'Annual model-weight security audit COND-8842';
const DESIGNATION_COMMENT = 'Conditions mitigate the diversion risk DSG-3310';
const STAFF = [
  'commerce.compliance',
  'commerce.reviewer',
  'commerce.supervisor',
  'commerce.decider',
  'state.reviewer',
  'state.supervisor',
  'ostp.reviewer',
  'dod.reviewer',
  'doe.reviewer',
];

describe("the applicant's view of its proposal: outcomes, never deliberation (docs/spec.md section 1)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ REVIEW_SLA: '6s', REVIEW_REMINDER_AT: '0.5', THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const staffView = async (id: string) => (await stack.as('auditor', 'GET', `/api/v1/proposals/${id}`)).body;
  const reachStatus = (id: string, status: string, timeoutMs = 30_000) =>
    stack.eventually(`proposal ${id} to reach ${status}`, async () => (await staffView(id)).status === status, timeoutMs);
  const tasksOf = async (id: string, type?: string) =>
    (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50${type ? `&type=${type}` : ''}`)).body.items as {
      id: string;
      agency: string;
      type: string;
      status: string;
      escalated: boolean;
    }[];
  const ok = async (user: string, method: string, path: string, body?: unknown) => {
    const res = await stack.as(user, method, path, body);
    if (res.status >= 300) throw new Error(`${user} ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  it('hides positions, conditions, comments, adjudication notes and staff names from GET /proposals/:id, its list and its requests', async () => {
    // A member close to a listed name: the proposal goes to compliance adjudication first.
    const body = completeProposal({ title: 'Applicant view package' });
    body.consortium.members.push({
      name: 'TECHNOLOGIES HUAWEI, LIMITED',
      country: 'US',
      layers: ['APPLICATIONS'],
      usConcern: true,
    } as never);
    const { id } = await ok('applicant.acme', 'POST', '/api/v1/proposals', body);
    await reachStatus(id, 'ADJUDICATION');
    const adjudication = await stack.eventually('the adjudication task', async () => (await tasksOf(id, 'SCREENING_ADJUDICATION'))[0]);
    await ok('commerce.compliance', 'POST', `/api/v1/tasks/${adjudication.id}/claim`);
    await ok('commerce.compliance', 'POST', `/api/v1/tasks/${adjudication.id}/complete`, { decision: 'CLEAR', comment: ADJUDICATION_NOTE });
    await reachStatus(id, 'UNDER_REVIEW');
    const reviews = await stack.eventually('five review tasks', async () => {
      const all = await tasksOf(id);
      return all.filter((t) => ['AGENCY_REVIEW', 'CONSULTATION'].includes(t.type)).length === 5 && all;
    });
    const byAgency = (agency: string) => reviews.find((t) => t.agency === agency && t.type !== 'SCREENING_ADJUDICATION')!;

    await ok('ostp.reviewer', 'POST', `/api/v1/tasks/${byAgency('OSTP').id}/complete`, {
      decision: 'CONCUR_WITH_CONDITIONS',
      conditions: [CONDITION],
    });
    // STATE claims its review, asks the applicant a question, then does not concur.
    await ok('state.reviewer', 'POST', `/api/v1/tasks/${byAgency('STATE').id}/claim`);
    const asked = await ok('state.reviewer', 'POST', `/api/v1/proposals/${id}/information-requests`, {
      question: 'Who operates the Nairobi site?',
    });
    const answered = await ok('applicant.acme', 'POST', `/api/v1/proposals/${id}/information-requests/${asked.id}/answer`, {
      answer: 'Blue River Data LLC',
    });
    expect(JSON.stringify(answered)).not.toContain('state.reviewer');
    expect(answered).toEqual(expect.objectContaining({ question: 'Who operates the Nairobi site?', answer: 'Blue River Data LLC' }));
    await ok('state.reviewer', 'POST', `/api/v1/tasks/${byAgency('STATE').id}/complete`, {
      decision: 'NON_CONCUR',
      comment: NON_CONCUR_COMMENT,
    });
    // COMMERCE's review runs past its SLA: escalated, its supervisor completes it; the consultations lapse (NO_RESPONSE).
    await stack.eventually(
      'the COMMERCE review to escalate',
      async () => (await tasksOf(id)).find((t) => t.id === byAgency('COMMERCE').id)?.escalated,
      30_000,
    );
    await ok('commerce.supervisor', 'POST', `/api/v1/tasks/${byAgency('COMMERCE').id}/complete`, { decision: 'CONCUR' });
    await reachStatus(id, 'AWAITING_DETERMINATION', 30_000);
    const decision = await stack.eventually('the designation task', async () => (await tasksOf(id, 'DESIGNATION_DECISION'))[0]);
    await ok('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, { decision: 'DESIGNATE', comment: DESIGNATION_COMMENT });
    await reachStatus(id, 'FINANCING');

    // The full record is there for staff: the test would prove nothing if the texts were never stored.
    const internal = JSON.stringify(await staffView(id));
    for (const text of [
      ADJUDICATION_NOTE,
      NON_CONCUR_COMMENT,
      CONDITION,
      DESIGNATION_COMMENT,
      'state.reviewer',
      'TASK_ESCALATED',
      'NON_CONCUR',
    ]) {
      expect(internal).toContain(text);
    }

    const view = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
    const list = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals?pageSize=100`)).body;
    for (const [what, json] of [
      ['GET /proposals/:id', JSON.stringify(view)],
      ['GET /proposals', JSON.stringify(list)],
    ]) {
      const leaks = [
        ...STAFF.filter((name) => json.includes(name)),
        ...[ADJUDICATION_NOTE, NON_CONCUR_COMMENT, CONDITION, DESIGNATION_COMMENT].filter((text) => json.includes(text)),
        // Agency positions, escalations and the non-concurring agency named in an internal reason.
        ...['CONCUR', 'NO_RESPONSE', 'ESCALATED', 'CLAIMED', 'non-concurrence', 'evidence', 'SCREENING_ADJUDICATED', 'TASK_'].filter(
          (text) => json.includes(text),
        ),
      ];
      expect({ what, leaks }).toEqual({ what, leaks: [] });
    }
    expect(view.reviews).toEqual([]);
    expect(view.flags).toEqual([]);
    expect(view.screening).toEqual({ status: 'CLEAR' });
    expect(view.designation).toEqual({ decision: 'DESIGNATE', decidedAt: expect.any(String) });
    expect(view.statusLabel).toBe('Designated: financing, SBA, advocacy and licensing referrals under way');
    expect(view.informationRequests).toEqual([
      expect.objectContaining({ agency: 'STATE', question: 'Who operates the Nairobi site?', answer: 'Blue River Data LLC' }),
    ]);

    // What the applicant is told: receipt, status changes with applicant-facing reasons, its request, the designation outcome.
    const actions = view.timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'SUBMITTED',
      'STATUS_SCREENING',
      'STATUS_ADJUDICATION',
      'STATUS_UNDER_REVIEW',
      'INFORMATION_REQUESTED',
      'INFORMATION_ANSWERED',
      'STATUS_AWAITING_DETERMINATION',
      'DESIGNATION_DECIDED',
      'STATUS_FINANCING',
    ]);
    const reason = (action: string) => view.timeline.find((e: { action: string }) => e.action === action).detail.reason;
    expect(reason('STATUS_ADJUDICATION')).toBe('Your proposal is under compliance review.');
    expect(reason('STATUS_AWAITING_DETERMINATION')).toBe('The interagency review is complete; the designation decision is pending.');
    expect(reason('DESIGNATION_DECIDED')).toBe('Your proposal was designated a priority AI export package (EO 14320 sec. 3(d)).');
    expect(view.timeline.find((e: { action: string }) => e.action === 'INFORMATION_REQUESTED').detail.question).toBe(
      'Who operates the Nairobi site?',
    );
    expect(list.items.find((p: { id: string }) => p.id === id)).toEqual(expect.objectContaining({ status: 'FINANCING', flags: [] }));
  });

  it('gives the applicant the deficiencies and the amend-by date of an incomplete proposal', async () => {
    const { id } = await ok('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ businessModel: undefined }));
    await reachStatus(id, 'RETURNED_FOR_INFORMATION');
    const view = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(view.deficiencies.map((d: { code: string }) => d.code)).toEqual(['MISSING_BUSINESS_MODEL']);
    expect(Date.parse(view.amendBy)).toBeGreaterThan(Date.now());
    const returned = view.timeline.find((e: { action: string }) => e.action === 'STATUS_RETURNED_FOR_INFORMATION');
    expect(returned.detail).toEqual({
      reason: `Your proposal is incomplete under EO 14320 sec. 3(b) (see the deficiencies listed): amend by ${view.amendBy}`,
      deficiencies: ['MISSING_BUSINESS_MODEL'],
      amendBy: view.amendBy,
    });
  });
});
