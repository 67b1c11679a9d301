import { parse } from 'csv-parse/sync';
import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

const OFFICERS: Record<string, string> = { EXIM: 'exim.officer', DFC: 'dfc.officer', USTDA: 'ustda.officer' };

/** EDAG financing routing and the SBA referral through the API (EO 14320 sec. 4, docs/spec.md section 2.4). */
describe('financing routing and SBA referral', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const openTask = (user: string, id: string, type: string) =>
    stack.eventually(`an open ${type} task`, async () => {
      const open = (await stack.as(user, 'GET', `/api/v1/tasks?proposalId=${id}&type=${type}&pageSize=50`)).body.items.filter(
        (t: { status: string }) => t.status === 'OPEN',
      );
      return open.length > 0 && open;
    });
  const complete = (user: string, taskId: string, body: object) => stack.as(user, 'POST', `/api/v1/tasks/${taskId}/complete`, body);

  it('routes three instruments, loops a DFC decline back to the coordinator, refers a small member to SBA and completes', async () => {
    const body = completeProposal({
      federalSupport: [
        { instrumentId: 'exim_loan_guarantee', amountUsd: 50_000_000 },
        { instrumentId: 'dfc_pri', amountUsd: 20_000_000 },
        { instrumentId: 'ustda_feasibility', amountUsd: 1_500_000 },
      ],
    });
    const id = (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body)).body.id;
    const reviews = await stack.eventually('five reviews', async () => {
      const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items;
      return items.length === 5 && items;
    });
    for (const t of reviews) expect((await complete(REVIEWERS[t.agency], t.id, { decision: 'CONCUR' })).status).toBe(200);
    const [designation] = await openTask('commerce.decider', id, 'DESIGNATION_DECISION');
    expect((await complete('commerce.decider', designation.id, { decision: 'DESIGNATE' })).status).toBe(200);

    const [assignment] = await openTask('edag.coordinator', id, 'FINANCING_ASSIGNMENT');
    expect(
      assignment.suggestions.map(
        (s: { instrumentId: string; agency: string; amountUsd: number }) => `${s.instrumentId}@${s.agency}:${s.amountUsd}`,
      ),
    ).toEqual(['exim_loan_guarantee@EXIM:50000000', 'dfc_pri@DFC:20000000', 'ustda_feasibility@USTDA:1500000']);
    const queue = await stack.as('edag.coordinator', 'GET', '/api/v1/financing/queue');
    expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(assignment.id);
    const bad = await complete('edag.coordinator', assignment.id, {
      decision: 'ASSIGN',
      data: { assignments: [{ instrumentId: 'dfc_pri', agency: 'SBA', amountUsd: 1 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'data.assignments[0].agency' })]);
    const assigned = await complete('edag.coordinator', assignment.id, {
      decision: 'ASSIGN',
      data: {
        assignments: assignment.suggestions.map(
          ({ instrumentId, agency, amountUsd }: { instrumentId: string; agency: string; amountUsd: number }) => ({
            instrumentId,
            agency,
            amountUsd,
          }),
        ),
      },
    });
    expect(assigned.status).toBe(200);

    const byAgency: Record<string, { id: string }> = {};
    for (const agency of ['EXIM', 'DFC', 'USTDA']) {
      const mine = await openTask(OFFICERS[agency], id, 'FINANCING_REVIEW');
      expect(mine.map((t: { agency: string }) => t.agency)).toEqual([agency]);
      byAgency[agency] = mine[0];
    }
    expect((await complete('dfc.officer', byAgency.EXIM.id, { decision: 'COMMIT', data: { amountUsd: 1 } })).status).toBe(403);
    expect((await stack.as('dfc.officer', 'POST', `/api/v1/tasks/${byAgency.EXIM.id}/claim`)).status).toBe(403);
    expect((await complete('exim.officer', byAgency.EXIM.id, { decision: 'COMMIT' })).status).toBe(422);
    expect(
      (await complete('exim.officer', byAgency.EXIM.id, { decision: 'COMMIT', data: { amountUsd: 45_000_000, terms: '10-year tenor' } }))
        .status,
    ).toBe(200);
    expect(
      (await complete('dfc.officer', byAgency.DFC.id, { decision: 'DECLINE', comment: 'Kenya PRI capacity exhausted this year' })).status,
    ).toBe(200);
    expect((await complete('ustda.officer', byAgency.USTDA.id, { decision: 'COMMIT', data: { amountUsd: 1_500_000 } })).status).toBe(200);

    const [reassignment] = await openTask('edag.coordinator', id, 'FINANCING_ASSIGNMENT');
    expect(reassignment.declined).toEqual([
      expect.objectContaining({ instrumentId: 'dfc_pri', agency: 'DFC', comment: 'Kenya PRI capacity exhausted this year' }),
    ]);
    await complete('edag.coordinator', reassignment.id, {
      decision: 'ASSIGN',
      data: { assignments: [{ instrumentId: 'dfc_equity', agency: 'DFC', amountUsd: 10_000_000 }] },
    });
    const [equity] = await openTask('dfc.officer', id, 'FINANCING_REVIEW');
    expect(equity.instrumentId).toBe('dfc_equity');
    await complete('dfc.officer', equity.id, { decision: 'COMMIT', data: { amountUsd: 10_000_000 } });

    const [sba] = await openTask('sba.officer', id, 'SBA_REFERRAL');
    expect(sba.members.filter((m: { status: string }) => m.status === 'SMALL').map((m: { name: string }) => m.name)).toContain(
      'Blue River Data LLC',
    );
    expect((await complete('sba.officer', sba.id, { decision: 'ACCEPT', comment: 'Referred to SBIC managers' })).status).toBe(200);
    // Designation also referred the package to ITA for advocacy (docs/spec.md section 2.3a): declined, it has its outcome.
    const [advocacy] = await openTask('ita.officer', id, 'ADVOCACY_REFERRAL');
    expect((await complete('ita.officer', advocacy.id, { decision: 'DECLINE', comment: 'No foreign tender in view' })).status).toBe(200);

    const done = await stack.eventually('COMPLETED', async () => {
      const p = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
      return p.status === 'COMPLETED' && p;
    });
    expect(
      done.financing
        .map(
          (f: { instrumentId: string; status: string; amountCommittedUsd: number | null }) =>
            `${f.instrumentId}:${f.status}:${f.amountCommittedUsd}`,
        )
        .sort(),
    ).toEqual([
      'dfc_equity:COMMITTED:10000000',
      'dfc_pri:DECLINED:null',
      'exim_loan_guarantee:COMMITTED:45000000',
      'ustda_feasibility:COMMITTED:1500000',
    ]);
    expect(done.financing.find((f: { instrumentId: string }) => f.instrumentId === 'exim_loan_guarantee')).toEqual(
      expect.objectContaining({ amountRequestedUsd: 50_000_000, amountAssignedUsd: 50_000_000, terms: '10-year tenor' }),
    );
    expect(done.sbaReferral.status).toBe('ACCEPTED');

    const summary = await stack.as('edag.coordinator', 'GET', '/api/v1/financing/summary');
    expect(summary.body.totals).toEqual({ committedUsd: 56_500_000, pendingUsd: 0 });
    expect(summary.body.byAgency).toEqual([
      { agency: 'DFC', referrals: 2, committedUsd: 10_000_000, pendingUsd: 0 },
      { agency: 'EXIM', referrals: 1, committedUsd: 45_000_000, pendingUsd: 0 },
      { agency: 'USTDA', referrals: 1, committedUsd: 1_500_000, pendingUsd: 0 },
    ]);
    const csv = await stack.as('edag.coordinator', 'GET', '/api/v1/financing/summary?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = parse(csv.body as string, { columns: true }) as { agency: string; targetMarket: string; committedUsd: string }[];
    expect(rows.filter((r) => r.targetMarket === 'KE').reduce((sum, r) => sum + Number(r.committedUsd), 0)).toBe(56_500_000);

    const audit = await stack.sql(
      `SELECT action, count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action LIKE 'FINANCING_%' GROUP BY action ORDER BY action`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'FINANCING_ASSIGNED', n: 4 },
      { action: 'FINANCING_COMMITTED', n: 3 },
      { action: 'FINANCING_DECLINED', n: 1 },
    ]);
    expect(
      await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action = 'SBA_REFERRAL_ACCEPTED'`, [id]),
    ).toEqual([{ n: 1 }]);
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-financed-completed');
    await recordHistory(stack, taskWorkflowId(byAgency.EXIM.id), 'task-financing-review-committed');
    await recordHistory(stack, taskWorkflowId(reassignment.id), 'task-financing-reassigned-after-decline');
    await recordHistory(stack, taskWorkflowId(sba.id), 'task-sba-referral-accepted');
  });
});
