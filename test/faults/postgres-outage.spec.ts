import { completeTaskUpdate, taskWorkflowId } from '../../libs/contracts/tasks';
import { assertAuditChainValid, assertExactlyOnce, assertReconciled, runningWorkflows } from '../support/fault-checks';
import { report, startPostgres, stopPostgres } from '../support/fault-services';
import { concurOnEach, declineDesignation, REVIEWERS, reviewTasks, submit } from '../support/fault-stack';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';
import { WorkflowUpdateStage } from '@temporalio/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OUTAGE_MS = 30_000;

describe('fault: PostgreSQL down for 30 s (the suite’s own server)', () => {
  let stack: Stack;
  let stopped = false;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', THROTTLE_READS_PER_MINUTE: '100000' });
  });
  afterAll(async () => {
    if (stopped) await startPostgres();
    await stack?.stop();
  });

  it('activities retry, the API answers 503 with Retry-After (never 500), nothing is lost after recovery', async () => {
    const id = await submit(stack);
    const reviews = await reviewTasks(stack, id, 90_000);
    // Tokens first: logging in needs the database too.
    for (const user of [...Object.values(REVIEWERS), 'commerce.decider', 'applicant.acme', 'auditor']) await stack.token(user);

    stopPostgres();
    stopped = true;
    const outageStarted = Date.now();
    // A decision accepted by the workflow while the read model is unreachable: its projection activity must retry.
    const commerce = reviews.find((t) => t.agency === 'COMMERCE');
    const update = await stack.temporal.workflow.getHandle(taskWorkflowId(commerce.id)).startUpdate(completeTaskUpdate, {
      args: [{ decision: 'CONCUR', actor: { username: 'commerce.reviewer', roles: ['REVIEWER'], agency: 'COMMERCE' } }],
      waitForStage: WorkflowUpdateStage.ACCEPTED,
    });
    const answers: { path: string; status: number; retryAfter: string | null }[] = [];
    const probe = async (path: string, call: () => Promise<{ status: number; headers: Headers }>) => {
      const res = await call();
      answers.push({ path, status: res.status, retryAfter: res.headers.get('retry-after') });
    };
    let retried: { attempt: number; failure: string } | undefined;
    while (Date.now() - outageStarted < OUTAGE_MS) {
      await probe('GET /proposals/:id', () => stack.as('commerce.decider', 'GET', `/api/v1/proposals/${id}`));
      await probe('GET /tasks', () => stack.as('auditor', 'GET', '/api/v1/tasks'));
      await probe('POST /proposals', () => stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal()));
      const other = reviews.find((t) => t.agency === 'STATE');
      await probe('POST /tasks/:id/complete', () =>
        stack.as('state.reviewer', 'POST', `/api/v1/tasks/${other.id}/complete`, { decision: 'CONCUR' }),
      );
      await probe('POST /auth/login', () => stack.request('POST', '/api/v1/auth/login', { username: 'auditor', password: 'exports-demo' }));
      await probe('GET /health', () => stack.request('GET', '/health'));
      const pending = (await stack.temporal.workflow.getHandle(taskWorkflowId(commerce.id)).describe()).raw.pendingActivities?.[0];
      if (pending?.attempt && pending.attempt > 1) retried = { attempt: pending.attempt, failure: pending.lastFailure?.message ?? '' };
      await sleep(2_000);
    }
    await startPostgres();
    stopped = false;
    report(
      'PostgreSQL outage',
      `pg_ctl stop -m fast for ${Math.round((Date.now() - outageStarted) / 1000)} s while a completeTask Update was accepted and the API was called ${answers.length} times`,
      `activity recordCompletion was at attempt ${retried?.attempt} (${retried?.failure.slice(0, 80)}); answers ${[...new Set(answers.map((a) => `${a.path}=${a.status}${a.retryAfter ? ` Retry-After ${a.retryAfter}` : ''}`))].join('; ')}`,
    );
    expect(retried?.attempt).toBeGreaterThan(1);
    expect(answers.filter((a) => a.status === 500)).toEqual([]);
    const dbBacked = answers.filter((a) => a.path !== 'GET /health');
    expect(dbBacked.filter((a) => a.status !== 503 || !a.retryAfter)).toEqual([]);
    expect(answers.filter((a) => a.path === 'GET /health').every((a) => a.status === 503)).toBe(true);

    // Recovery: the accepted decision lands once, clients' retries succeed.
    await stack.waitHealthy();
    expect((await update.result()).decision).toBe('CONCUR');
    const statuses: number[] = [];
    await concurOnEach(
      stack,
      reviews.filter((t) => t.id !== commerce.id),
      statuses,
    );
    await declineDesignation(stack, id, statuses);
    await stack.eventually('no workflow stuck', async () => (await runningWorkflows(stack, 'proposal:')).length === 0, 30_000);
    const submitted = await stack.sql<{ n: number }>('SELECT count(*)::int AS n FROM proposal');
    expect(submitted[0].n).toBe(1); // the 503'd submissions stored nothing
    const once = await assertExactlyOnce(stack, id);
    const chain = await assertAuditChainValid(stack);
    const recon = await assertReconciled(stack);
    report('PostgreSQL outage: after recovery', 'PostgreSQL started again', `proposal NOT_SELECTED; ${once}; audit ${chain}; ${recon}`);
  });
});
