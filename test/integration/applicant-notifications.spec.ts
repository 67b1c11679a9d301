import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

/** Staff words that must never reach an applicant (docs/spec.md section 1): comments, conditions, adjudication notes. */
const STAFF_TEXT = {
  nonConcurrence: 'Diversion risk through a neighbouring D:5 country',
  condition: 'Quarterly model-weight custody audit',
  designation: 'Designated over the State non-concurrence given the conditions',
  decline: 'Weak business model for this round',
  financing: 'Credit committee approved with covenant package',
  sba: 'Referred to the SBA export working capital desk',
  adjudication: 'Same entity as SMIC on the Entity List',
  advocacy: 'Advocacy Center case officer assigned in Nairobi',
};

type Notice = { kind: string; subject: string; body: string; recipient_username: string };

/** The applicant is told of each step of its proposal that is the applicant's to know (docs/spec.md sections 1 and 2). */
describe('applicant notifications', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ AMENDMENT_WINDOW: '12s', THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const submit = async (body: object) => (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body)).body.id as string;
  const settlesIn = (id: string, status: string, timeoutMs?: number) =>
    stack.eventually(
      status,
      async () => {
        const p = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
        return p.status === status && p;
      },
      timeoutMs,
    );
  const notices = (id: string) =>
    stack.sql<Notice>(
      `SELECT kind, subject, body, recipient_username FROM notification WHERE proposal_id = $1 AND recipient_username = 'applicant.acme' ORDER BY id`,
      [id],
    );
  const noticeMatching = (id: string, pattern: RegExp) =>
    stack.eventually(`an applicant notice matching ${pattern}`, async () => (await notices(id)).find((n) => pattern.test(n.subject)));
  const complete = (user: string, taskId: string, body: object) => stack.as(user, 'POST', `/api/v1/tasks/${taskId}/complete`, body);
  const openTask = (user: string, id: string, type: string) =>
    stack.eventually(`an open ${type} task`, async () => {
      const items = (await stack.as(user, 'GET', `/api/v1/tasks?proposalId=${id}&type=${type}&pageSize=50`)).body.items;
      return items.find((t: { status: string }) => t.status === 'OPEN');
    });
  const reviewTasks = (id: string) =>
    stack.eventually('five review tasks', async () => {
      const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`)).body.items;
      return items.length === 5 && items;
    });

  /** Reviews (one non-concurrence, one with conditions), then the deciding official's decision. */
  async function decide(id: string, decision: 'DESIGNATE' | 'DECLINE') {
    for (const t of await reviewTasks(id)) {
      const body =
        t.agency === 'STATE'
          ? { decision: 'NON_CONCUR', comment: STAFF_TEXT.nonConcurrence }
          : t.agency === 'OSTP'
            ? { decision: 'CONCUR_WITH_CONDITIONS', conditions: [STAFF_TEXT.condition] }
            : { decision: 'CONCUR' };
      expect((await complete(REVIEWERS[t.agency], t.id, body)).status).toBe(200);
    }
    const task = await openTask('commerce.decider', id, 'DESIGNATION_DECISION');
    const comment = decision === 'DESIGNATE' ? STAFF_TEXT.designation : STAFF_TEXT.decline;
    expect((await complete('commerce.decider', task.id, { decision, comment })).status).toBe(200);
  }

  it('returned for information: amendBy on the proposal and a notice with the codes and the date; cleared once amended', async () => {
    const { stack: layers, businessModel, ...rest } = completeProposal();
    const { security: _security, ...withoutSecurity } = layers;
    const before = Date.now();
    const id = await submit({ ...rest, stack: withoutSecurity });
    const returned = await settlesIn(id, 'RETURNED_FOR_INFORMATION');
    expect(returned.amendBy).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/));
    expect(Date.parse(returned.amendBy)).toBeGreaterThan(before);
    expect(Date.parse(returned.amendBy)).toBeLessThan(Date.now() + 12_000);
    expect((await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body.amendBy).toBe(returned.amendBy);
    const [{ amend_by }] = await stack.sql(`SELECT amend_by FROM proposal WHERE id = $1`, [id]);
    expect(new Date(amend_by).toISOString()).toBe(returned.amendBy);

    const notice = await noticeMatching(id, /^Amendment needed/);
    expect(notice.kind).toBe('STATUS_CHANGE');
    expect(notice.body).toContain('MISSING_BUSINESS_MODEL');
    expect(notice.body).toContain('MISSING_SECURITY');
    expect(notice.body).toContain(returned.amendBy);

    expect((await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/amendments`, { stack: layers, businessModel })).status).toBe(
      202,
    );
    const amended = await settlesIn(id, 'UNDER_REVIEW');
    expect(amended.amendBy).toBeNull();
    expect(await stack.sql(`SELECT amend_by FROM proposal WHERE id = $1`, [id])).toEqual([{ amend_by: null }]);
  });

  it('withdrawn by lapse of the amendment window: told, and amendBy cleared', async () => {
    const { compliance: _missing, ...rest } = completeProposal();
    const id = await submit(rest);
    await settlesIn(id, 'RETURNED_FOR_INFORMATION');
    const withdrawn = await settlesIn(id, 'WITHDRAWN', 30_000);
    expect(withdrawn.amendBy).toBeNull();
    const notice = await noticeMatching(id, /^Withdrawn/);
    expect(notice.body).toMatch(/amendment window lapsed/);
    expect((await notices(id)).map((n) => n.subject.split(':')[0])).toEqual(['Amendment needed', 'Withdrawn']);
  });

  it('ineligible: told with the applicant-facing reasons; a confirmed match without the adjudication note', async () => {
    const embargoed = await submit(completeProposal({ targetMarkets: ['KE', 'IR'] }));
    await settlesIn(embargoed, 'INELIGIBLE');
    expect((await noticeMatching(embargoed, /^Not eligible/)).body).toContain('TARGET_EMBARGOED');

    const body = completeProposal();
    body.consortium.members.push({
      name: 'Semiconductor Manufacturing Intl Corp',
      country: 'US',
      layers: ['APPLICATIONS'],
      usConcern: true,
    } as never);
    const matched = await submit(body);
    await settlesIn(matched, 'ADJUDICATION');
    const task = await openTask('commerce.compliance', matched, 'SCREENING_ADJUDICATION');
    expect((await complete('commerce.compliance', task.id, { decision: 'CONFIRM_MATCH', comment: STAFF_TEXT.adjudication })).status).toBe(
      200,
    );
    await settlesIn(matched, 'INELIGIBLE');
    const notice = await noticeMatching(matched, /^Not eligible/);
    expect(notice.body).toContain('export-control screening');
  });

  it('designated with a financing commitment and an SBA referral: the outcomes, never the reasoning', async () => {
    const id = await submit(completeProposal());
    await decide(id, 'DESIGNATE');
    expect((await noticeMatching(id, /^Decision on/)).body).toContain('designated a priority AI export package');
    const assignment = await openTask('edag.coordinator', id, 'FINANCING_ASSIGNMENT');
    const assignments = assignment.suggestions.map(({ instrumentId, agency, amountUsd }: Record<string, unknown>) => ({
      instrumentId,
      agency,
      amountUsd,
    }));
    expect((await complete('edag.coordinator', assignment.id, { decision: 'ASSIGN', data: { assignments } })).status).toBe(200);
    const exim = await openTask('exim.officer', id, 'FINANCING_REVIEW');
    const commit = { decision: 'COMMIT', data: { amountUsd: 45_000_000 }, comment: STAFF_TEXT.financing };
    expect((await complete('exim.officer', exim.id, commit)).status).toBe(200);
    const sba = await openTask('sba.officer', id, 'SBA_REFERRAL');
    expect((await complete('sba.officer', sba.id, { decision: 'ACCEPT', comment: STAFF_TEXT.sba })).status).toBe(200);
    // The advocacy referral designation opens (docs/spec.md section 2.3a): ITA asks for the questionnaire first.
    const advocacy = await openTask('ita.officer', id, 'ADVOCACY_REFERRAL');
    const asked = await stack.as('ita.officer', 'POST', `/api/v1/proposals/${id}/information-requests`, {
      question: 'Please send the Advocacy Questionnaire and the signed anti-bribery agreement.',
    });
    expect(asked.status).toBe(201);
    expect((await noticeMatching(id, /asks for information/)).kind).toBe('INFORMATION_REQUEST');
    const answer = { answer: 'Both attached, signed by the bidder of record.' };
    expect(
      (await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/information-requests/${asked.body.id}/answer`, answer)).status,
    ).toBe(200);
    expect((await complete('ita.officer', advocacy.id, { decision: 'ACCEPT', comment: STAFF_TEXT.advocacy })).status).toBe(200);
    await settlesIn(id, 'COMPLETED');

    const financing = await noticeMatching(id, /^Financing committed/);
    expect(financing.body).toContain('EXIM committed USD 45,000,000');
    expect(financing.body).toContain('Loan guarantee');
    expect((await noticeMatching(id, /^SBA referral accepted/)).kind).toBe('DECISION');
    expect((await noticeMatching(id, /^Advocacy accepted/)).body).toContain('Advocacy Center (ITA) accepted');
  });

  it('declined designation: told it was not selected', async () => {
    const id = await submit(completeProposal());
    await decide(id, 'DECLINE');
    await settlesIn(id, 'NOT_SELECTED');
    expect((await noticeMatching(id, /^Decision on/)).body).toContain('not selected');
  });

  it('no applicant notice carries a staff username, a comment, a condition or an adjudication note', async () => {
    const all = await stack.sql<Notice>(
      `SELECT n.kind, n.subject, n.body, n.recipient_username FROM notification n
         JOIN app_user u ON u.username = n.recipient_username WHERE 'APPLICANT' = ANY(u.roles)`,
    );
    // Every kind the applicant is told of was exercised above.
    expect(new Set(all.map((n) => n.kind))).toEqual(new Set(['STATUS_CHANGE', 'DECISION', 'INFORMATION_REQUEST']));
    // Once each: 2 returns for information, 1 lapse, 2 ineligible, 2 designation outcomes, 1 financing, 1 SBA,
    // 1 request for information (ITA's) and 1 advocacy outcome.
    expect(all).toHaveLength(11);
    const staff = (await stack.sql<{ username: string }>(`SELECT username FROM app_user WHERE NOT ('APPLICANT' = ANY(roles))`)).map(
      (u) => u.username,
    );
    expect(staff).toEqual(
      expect.arrayContaining(['commerce.decider', 'exim.officer', 'sba.officer', 'commerce.compliance', 'ita.officer']),
    );
    for (const n of all) {
      const text = `${n.subject}\n${n.body}`;
      for (const word of [...staff, ...Object.values(STAFF_TEXT)])
        expect({ notice: n.subject, contains: word, found: text.includes(word) }).toEqual({
          notice: n.subject,
          contains: word,
          found: false,
        });
    }
  });
});
