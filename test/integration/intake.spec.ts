import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { seedDemoProposals } from '../../scripts/seed-demo';
import { DEMO_PASSWORD, Stack } from '../support/stack';

type Body = ReturnType<typeof completeProposal>;

/** Intake through the HTTP API on real Temporal and PostgreSQL: every path of docs/spec.md section 2.1-2.2. */
describe('intake: completeness, eligibility and party screening', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ AMENDMENT_WINDOW: '6s', THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const submit = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body, headers);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  // Screening details, flags and the internal timeline are staff-only (docs/spec.md section 1): read as staff.
  const proposal = async (id: string) => (await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body;
  const settlesIn = (id: string, status: string, timeoutMs = 30_000) =>
    stack.eventually(
      `proposal ${id} to reach ${status}`,
      async () => {
        const p = await proposal(id);
        return p.status === status && p;
      },
      timeoutMs,
    );
  const adjudicationTask = (id: string) =>
    stack.eventually('the adjudication task', async () => {
      const tasks = await stack.as('commerce.compliance', 'GET', `/api/v1/tasks?proposalId=${id}&type=SCREENING_ADJUDICATION`);
      return tasks.body.items?.[0];
    });
  const withMember = (name: string, country = 'US'): Body => {
    const body = completeProposal();
    body.consortium.members.push({ name, country, layers: ['APPLICATIONS'], usConcern: true } as never);
    return body;
  };

  it('moves a complete and clean package to UNDER_REVIEW with its flags and the list version used', async () => {
    const id = await submit(completeProposal());
    const p = await settlesIn(id, 'UNDER_REVIEW');
    expect(p.deficiencies).toEqual([]);
    expect(p.eligibility).toEqual(expect.objectContaining({ eligible: true, reasons: [], countryGroupsVersion: '2026-07-08' }));
    expect(p.screening).toEqual(
      expect.objectContaining({
        status: 'CLEAR',
        matches: [],
        listVersion: expect.objectContaining({ checksum: expect.stringMatching(/^[0-9a-f]{64}$/) }),
      }),
    );
    expect(p.timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['SUBMITTED', 'STATUS_SCREENING', 'SCREENED', 'STATUS_UNDER_REVIEW']),
    );
  });

  it('returns a deficient package with exactly its codes, then screens the amendment again', async () => {
    const { stack: packageStack, businessModel: _omitted, ...rest } = completeProposal();
    const { security: _security, ...stackWithoutSecurity } = packageStack;
    const id = await submit({ ...rest, stack: stackWithoutSecurity });
    const returned = await settlesIn(id, 'RETURNED_FOR_INFORMATION');
    expect(returned.deficiencies.map((d: { code: string }) => d.code).sort()).toEqual(['MISSING_BUSINESS_MODEL', 'MISSING_SECURITY']);
    expect(returned.deficiencies[0]).toEqual(
      expect.objectContaining({ eoRef: expect.stringMatching(/^3\(b\)/), message: expect.any(String) }),
    );
    const amended = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/amendments`, {
      stack: packageStack,
      businessModel: completeProposal().businessModel,
    });
    expect(amended.status).toBe(202);
    const after = await settlesIn(id, 'UNDER_REVIEW');
    expect(after.version).toBe(2);
    expect(after.deficiencies).toEqual([]);
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-amended-under-review');
  });

  it('checks a draft as intake would, without filing it (POST /proposals/checks, the web form steps)', async () => {
    const check = (body: unknown, user = 'applicant.acme') => stack.as(user, 'POST', '/api/v1/proposals/checks', body);
    const before = await stack.sql('SELECT count(*)::int AS n FROM proposal');
    const { stack: packageStack, businessModel: _omitted, ...rest } = completeProposal();
    const { security: _security, ...stackWithoutSecurity } = packageStack;
    const draft = await check({ ...rest, stack: stackWithoutSecurity, targetMarkets: ['KE', 'IR'] });
    expect(draft.status).toBe(200);
    expect(draft.body.deficiencies.map((d: { code: string }) => d.code).sort()).toEqual(['MISSING_BUSINESS_MODEL', 'MISSING_SECURITY']);
    expect(draft.body.deficiencies[0]).toEqual(expect.objectContaining({ eoRef: expect.stringMatching(/^3\(b\)/) }));
    expect(draft.body.eligibility).toEqual({ eligible: false, reasons: [expect.objectContaining({ code: 'TARGET_EMBARGOED' })] });
    expect((await check(completeProposal())).body).toEqual({ deficiencies: [], eligibility: { eligible: true, reasons: [] } });

    const malformed = await check(completeProposal({ targetMarkets: ['Kenya'] }));
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.map((d: { field: string }) => d.field)).toEqual([expect.stringMatching(/^targetMarkets/)]);
    const noAnchor = await check(completeProposal({ consortium: { ...completeProposal().consortium, anchorMember: 'Nobody' } }));
    expect(noAnchor.status).toBe(400);
    expect(noAnchor.body.details).toEqual([expect.objectContaining({ field: 'consortium.anchorMember' })]);
    expect((await check(completeProposal(), 'commerce.reviewer')).status).toBe(403);
    expect((await stack.request('POST', '/api/v1/proposals/checks', completeProposal())).status).toBe(401);
    expect(await stack.sql('SELECT count(*)::int AS n FROM proposal')).toEqual(before);
  });

  it('withdraws a returned proposal when the amendment window lapses', async () => {
    const { compliance: _missing, ...rest } = completeProposal();
    const id = await submit(rest);
    await settlesIn(id, 'RETURNED_FOR_INFORMATION');
    const withdrawn = await settlesIn(id, 'WITHDRAWN', 20_000); // AMENDMENT_WINDOW=6s in this stack
    expect(withdrawn.timeline.at(-1).detail.reason).toMatch(/amendment window lapsed/i);
    const late = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/amendments`, {
      compliance: { exportControlAttestation: true },
    });
    expect(late.status).toBe(409);
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-amendment-window-lapsed');
  });

  it('finds a target market in EAR Country Group E:1 ineligible', async () => {
    const id = await submit(completeProposal({ targetMarkets: ['KE', 'IR'] }));
    const p = await settlesIn(id, 'INELIGIBLE');
    expect(p.eligibility.eligible).toBe(false);
    expect(p.eligibility.reasons).toEqual([expect.objectContaining({ code: 'TARGET_EMBARGOED' })]);
  });

  it('finds a member in a country of concern ineligible', async () => {
    const id = await submit(withMember('Shenzhen Cloud Partner Ltd', 'CN'));
    const p = await settlesIn(id, 'INELIGIBLE');
    expect(p.eligibility.reasons.map((r: { code: string }) => r.code)).toEqual(['MEMBER_IN_COUNTRY_OF_CONCERN']);
  });

  it('raises non-blocking flags for D:5 targets, advanced computing and low U.S. content', async () => {
    const body = completeProposal({ targetMarkets: ['VN'] });
    body.stack.hardware.usContentPct = 40;
    const p = await settlesIn(await submit(body), 'UNDER_REVIEW');
    expect(p.flags.map((f: { code: string }) => f.code).sort()).toEqual([
      'LICENSE_REVIEW_ADVANCED_COMPUTING',
      'US_CONTENT_BELOW_PRESUMPTION',
    ]);
    const list = await stack.as('commerce.reviewer', 'GET', '/api/v1/proposals?targetMarket=VN&status=UNDER_REVIEW');
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(p.id);
  });

  it('sends a fuzzy list match to adjudication; CLEAR lets it continue', async () => {
    // Listed as "Huawei Technologies Co., Ltd.": different case, punctuation, legal suffix and word order.
    const id = await submit(withMember('TECHNOLOGIES HUAWEI, LIMITED'));
    const held = await settlesIn(id, 'ADJUDICATION');
    expect(held.screening.status).toBe('POTENTIAL_MATCH');
    const task = await adjudicationTask(id);
    expect(task.matches).toEqual(
      expect.arrayContaining([expect.objectContaining({ listedName: 'Huawei Technologies Co., Ltd.', score: expect.any(Number) })]),
    );
    // The adjudicator sees the listed entry itself beside the party, from the list version screened against.
    const listed = (await stack.as('commerce.compliance', 'GET', `/api/v1/tasks?proposalId=${id}&type=SCREENING_ADJUDICATION`)).body
      .items[0];
    expect(listed.matches.find((m: { listedName: string }) => m.listedName === 'Huawei Technologies Co., Ltd.').entry).toEqual({
      type: 'Entity',
      altNames: ['Huawei', 'Huawei Technologies'],
      programs: [],
      countries: ['CN'],
      remarks: null,
    });
    const reviewerInbox = await stack.as('commerce.reviewer', 'GET', `/api/v1/tasks?proposalId=${id}`);
    expect(reviewerInbox.body.items).toEqual([]);
    expect((await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CLEAR' })).status).toBe(403);
    const wrong = await stack.as('commerce.compliance', 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details).toEqual([expect.objectContaining({ field: 'decision' })]);
    const cleared = await stack.as('commerce.compliance', 'POST', `/api/v1/tasks/${task.id}/complete`, {
      decision: 'CLEAR',
      comment: 'Unrelated U.S. reseller',
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual(expect.objectContaining({ status: 'COMPLETED', decision: 'CLEAR', assignee: 'commerce.compliance' }));
    const p = await settlesIn(id, 'UNDER_REVIEW');
    expect(p.screening.status).toBe('CLEAR');
    expect((await stack.as('commerce.compliance', 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CLEAR' })).status).toBe(409);
  });

  it('ends INELIGIBLE when the compliance officer confirms the match (a comment is required)', async () => {
    const id = await submit(withMember('Semiconductor Manufacturing Intl Corp'));
    await settlesIn(id, 'ADJUDICATION');
    const task = await adjudicationTask(id);
    const bare = await stack.as('commerce.compliance', 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONFIRM_MATCH' });
    expect(bare.status).toBe(422);
    expect(bare.body.details).toEqual([expect.objectContaining({ field: 'comment' })]);
    const confirmed = await stack.as('commerce.compliance', 'POST', `/api/v1/tasks/${task.id}/complete`, {
      decision: 'CONFIRM_MATCH',
      comment: 'Same entity as SMIC (Entity List)',
    });
    expect(confirmed.status).toBe(200);
    const p = await settlesIn(id, 'INELIGIBLE');
    expect(p.screening.status).toBe('CONFIRMED_MATCH');
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-match-confirmed');
    await recordHistory(stack, taskWorkflowId(task.id), 'task-adjudication-confirmed');
  });

  it('withdraws on the applicant’s request, once', async () => {
    const id = await submit(completeProposal());
    await settlesIn(id, 'UNDER_REVIEW');
    // Mid-review means with review tasks open: the status is projected before the task workflows write their rows.
    const review = await stack.eventually('a review task open', async () => {
      const [row] = await stack.sql<{ id: string }>(
        `SELECT id FROM task WHERE proposal_id = $1 AND type = 'AGENCY_REVIEW' AND status = 'OPEN' LIMIT 1`,
        [id],
      );
      return row;
    });
    expect((await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/amendments`, { title: 'Not now' })).status).toBe(409);
    const withdrawn = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/withdrawal`, { reason: 'Consortium dissolved' });
    expect(withdrawn.status).toBe(202);
    const p = await settlesIn(id, 'WITHDRAWN');
    expect(p.timeline.at(-1)).toEqual(expect.objectContaining({ actor: 'applicant.acme' }));
    expect((await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/withdrawal`, { reason: 'again' })).status).toBe(409);
    expect((await stack.as('applicant.globex', 'POST', `/api/v1/proposals/${id}/withdrawal`, { reason: 'not mine' })).status).toBe(404);
    // Its open review tasks end with it (cancelled), as the recorded histories show.
    const task = stack.temporal.workflow.getHandle(taskWorkflowId(review.id));
    await expect(task.result()).rejects.toThrow();
    expect((await task.describe()).status.name).toBe('CANCELLED');
    expect(await stack.sql(`SELECT status FROM task WHERE id = $1`, [review.id])).toEqual([{ status: 'CANCELLED' }]);
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-withdrawn-mid-review');
    await recordHistory(stack, taskWorkflowId(review.id), 'task-review-cancelled-by-withdrawal');
  });

  it('honours Idempotency-Key: same body, same proposal; different body, 422', async () => {
    const key = `retry-${Date.now()}`;
    const first = await submit(completeProposal({ title: 'Idempotent package' }), { 'idempotency-key': key });
    const again = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: 'Idempotent package' }), {
      'idempotency-key': key,
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first);
    const other = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: 'Another package' }), {
      'idempotency-key': key,
    });
    expect(other.status).toBe(422);
    expect(await stack.sql(`SELECT count(*)::int AS n FROM proposal WHERE title IN ('Idempotent package', 'Another package')`)).toEqual([
      { n: 1 },
    ]);
  });

  it('files the demo proposals of `npm start` into their documented outcomes, once', async () => {
    const filed = await seedDemoProposals(stack.baseUrl, DEMO_PASSWORD);
    expect(await seedDemoProposals(stack.baseUrl, DEMO_PASSWORD)).toEqual(filed);
    for (const { id, outcome } of filed) {
      await stack.eventually(
        `demo ${id} to reach ${outcome}`,
        async () => (await stack.as('auditor', 'GET', `/api/v1/proposals/${id}`)).body.status === outcome,
      );
    }
  });
});
