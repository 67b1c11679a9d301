import { setTimeout as sleep } from 'node:timers/promises';
import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { licenseFlaggedProposal } from '../support/designation';
import { assertAuditChainValid, assertExactlyOnce, assertReconciled, runningWorkflows } from '../support/fault-checks';
import { report } from '../support/fault-services';
import {
  answerInformationRequest,
  askForAdvocacyDocuments,
  catchInFlight,
  completeBenefits,
  designateAfterConcurring,
  killAndRespawn,
  openTasksOf,
  pendingActivity,
  retrying,
  submit,
} from '../support/fault-stack';
import { Stack } from '../support/stack';

describe('fault: kill -9 the worker during the designation benefits', () => {
  let stack: Stack;
  const statuses: number[] = [];
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  it('while the referrals open, while ITA asks the applicant and while the answer is handled: the package completes, everything exactly once', async () => {
    // A license-review flag: designation opens BIS's LICENSING_REVIEW beside ITA's advocacy referral and EDAG financing.
    const id = await submit(stack, { body: licenseFlaggedProposal() });

    // 1. While the benefits stage opens its referrals: DESIGNATE wakes the proposal workflow, which runs openBenefitReferrals.
    const designating = designateAfterConcurring(stack, id, statuses);
    const opening = await catchInFlight(stack, proposalWorkflowId(id), pendingActivity('openBenefitReferrals'), 120_000);
    await killAndRespawn(stack, 'worker');
    const { reviews, decision } = await designating;
    report(
      'worker kill -9 while the designation benefits open',
      `SIGKILL with ${opening ?? 'no openBenefitReferrals caught'} pending on ${proposalWorkflowId(id)}`,
      'worker restarted',
    );
    expect(opening).toBe('openBenefitReferrals');

    // 2. While ITA's information request Update is in flight: sent, and the worker dies before or while it runs the handler.
    const [advocacy] = await stack.eventually(
      'the advocacy referral',
      async () => {
        const open = await openTasksOf(stack, 'ita.officer', id, 'ADVOCACY_REFERRAL', statuses);
        return open.length > 0 && open;
      },
      90_000,
    );
    const asking = askForAdvocacyDocuments(stack, id, statuses);
    await sleep(30);
    await killAndRespawn(stack, 'worker', 2_000);
    const request = await asking;
    expect(request.taskId).toBe(advocacy.id);
    report(
      'worker kill -9 while an information request is in flight',
      `SIGKILL 30 ms after POST /proposals/${id}/information-requests was sent`,
      'answered 201',
    );

    // 3. While the applicant's answer is handled: the answer Update wakes the advocacy task's workflow.
    const answering = answerInformationRequest(stack, id, request.id, statuses);
    const handling = await catchInFlight(
      stack,
      taskWorkflowId(advocacy.id),
      (raw) => (raw.pendingWorkflowTask ? 'a workflow task' : pendingActivity('recordInformationAnswer')(raw)),
      20_000,
    );
    await killAndRespawn(stack, 'worker');
    await answering;
    report(
      'worker kill -9 while an information answer is handled',
      `SIGKILL with ${handling ?? 'nothing caught'} pending on ${taskWorkflowId(advocacy.id)}`,
      'answered 200',
    );
    expect(handling).toBeDefined();

    // EDAG closes financing, SBA and ITA accept, BIS prioritizes; the package completes once every referral has an outcome.
    const referrals = await completeBenefits(stack, id, statuses);
    expect(referrals.map((t) => t.type).sort()).toEqual(['ADVOCACY_REFERRAL', 'FINANCING_ASSIGNMENT', 'LICENSING_REVIEW', 'SBA_REFERRAL']);
    const done = (await retrying('proposal', () => stack.as('auditor', 'GET', `/api/v1/proposals/${id}`), statuses)).body;
    expect(done.benefits).toEqual({
      advocacy: expect.objectContaining({ status: 'ACCEPTED', taskId: advocacy.id }),
      licensing: expect.objectContaining({ status: 'PRIORITIZED' }),
    });

    await stack.eventually(
      'every workflow closed',
      async () => (await runningWorkflows(stack, proposalWorkflowId(id))).length === 0,
      30_000,
    );
    const tasks = [...reviews, decision, ...referrals];
    for (const task of tasks) {
      expect((await stack.temporal.workflow.getHandle(taskWorkflowId(task.id)).describe()).status.name).toBe('COMPLETED');
    }
    const once = await assertExactlyOnce(stack, id);
    expect(await stack.sql('SELECT count(*)::int AS n FROM task WHERE proposal_id = $1', [id])).toEqual([{ n: tasks.length }]);
    // The benefits' own writes, each once although their activities and Updates ran across three crashes.
    const audited = await stack.sql<{ action: string; n: number }>(
      `SELECT action, count(*)::int AS n FROM audit_event
        WHERE subject_id = ANY($1)
          AND action IN ('BENEFITS_REFERRED', 'INFORMATION_REQUESTED', 'INFORMATION_ANSWERED', 'ADVOCACY_ACCEPTED', 'LICENSING_PRIORITIZED')
        GROUP BY action ORDER BY action`,
      [[id, ...tasks.map((t) => t.id)]],
    );
    expect(audited).toEqual(
      ['ADVOCACY_ACCEPTED', 'BENEFITS_REFERRED', 'INFORMATION_ANSWERED', 'INFORMATION_REQUESTED', 'LICENSING_PRIORITIZED'].map(
        (action) => ({
          action,
          n: 1,
        }),
      ),
    );
    expect(
      await stack.sql('SELECT count(*)::int AS n FROM information_request WHERE proposal_id = $1 AND answer IS NOT NULL', [id]),
    ).toEqual([{ n: 1 }]);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const chain = await assertAuditChainValid(stack);
    const recon = await assertReconciled(stack);
    report(
      'worker crash in the designation benefits: after recovery',
      'three SIGKILLs',
      `proposal COMPLETED (advocacy ACCEPTED, licensing PRIORITIZED), all workflows COMPLETED; ${once}; HTTP answers ${[...new Set(statuses)].join(',')}; audit ${chain}; ${recon}`,
    );
  });
});
