import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { assertAuditChainValid, assertExactlyOnce, assertReconciled, runningWorkflows } from '../support/fault-checks';
import { report, startTemporal, stopTemporal } from '../support/fault-services';
import { concurOnEach, declineDesignation, retrying, REVIEWERS, reviewTasks, submit } from '../support/fault-stack';
import { Stack } from '../support/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DOWN_MS = 10_000;

describe('fault: the Temporal dev server (with its db file) restarts mid-run', () => {
  let stack: Stack;
  let down = false;
  beforeAll(async () => {
    // Short SLAs: the reminder at 50 %, the due date 45 s after a review task opens.
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', REVIEW_SLA: '45s', REVIEW_REMINDER_AT: '0.5' });
  });
  afterAll(async () => {
    if (down) await startTemporal();
    await stack?.stop();
  });

  it('open workflows, timers and SLA clocks survive; in-flight API calls get a retryable answer', async () => {
    const id = await submit(stack);
    const reviews = await reviewTasks(stack, id, 90_000);
    for (const user of [...Object.values(REVIEWERS), 'commerce.decider']) await stack.token(user);
    const statuses: number[] = [];
    const commerce = reviews.find((t) => t.agency === 'COMMERCE');
    const state = reviews.find((t) => t.agency === 'STATE');
    const key = `fault-temporal-${commerce.id}`;
    const completeCommerce = () =>
      stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${commerce.id}/complete`, { decision: 'CONCUR' }, { 'idempotency-key': key });

    // In flight when the server dies.
    const inFlight = completeCommerce();
    await sleep(20);
    await stopTemporal(undefined, 'SIGKILL');
    down = true;
    const killedAt = Date.now();
    const [first, during] = await Promise.all([
      inFlight,
      stack.as('state.reviewer', 'POST', `/api/v1/tasks/${state.id}/complete`, { decision: 'CONCUR' }),
    ]);
    statuses.push(first.status, during.status);
    await sleep(Math.max(0, DOWN_MS - (Date.now() - killedAt)));
    await startTemporal();
    down = false;
    report(
      'Temporal restart',
      `SIGKILL of the dev server 20 ms after POST /tasks/${commerce.id}/complete was sent, down ${Math.round((Date.now() - killedAt) / 1000)} s, restarted on the same db file`,
      `the in-flight call answered ${first.status}${first.headers.get('retry-after') ? ` (Retry-After ${first.headers.get('retry-after')})` : ''}, a call during the outage ${during.status}${during.headers.get('retry-after') ? ` (Retry-After ${during.headers.get('retry-after')})` : ''}`,
    );
    expect([200, 503]).toContain(first.status);
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();

    // Retried with the same key: the original outcome, decided once.
    const retried = await retrying('retry with the same key', completeCommerce, statuses);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'COMPLETED', decision: 'CONCUR' });
    expect((await stack.temporal.workflow.getHandle(proposalWorkflowId(id)).describe()).status.name).toBe('RUNNING');

    // SLA clocks kept running across the restart: reminders, then escalation (reviews) and lapse (consultations).
    const open = reviews.filter((t) => t.id !== commerce.id);
    const clocks = await stack.eventually(
      'reminders and breaches after the restart',
      async () => {
        const rows = await stack.sql<{ id: string; type: string; status: string; escalated: boolean; reminded_at: Date | null }>(
          'SELECT id, type, status, escalated, reminded_at FROM task WHERE id = ANY($1)',
          [open.map((t) => t.id)],
        );
        const done = rows.every((r) => r.reminded_at && (r.type === 'CONSULTATION' ? r.status === 'CANCELLED' : r.escalated));
        return done && rows;
      },
      90_000,
    );
    report(
      'Temporal restart: SLA clocks',
      'timers armed before the restart',
      `${clocks.filter((r) => r.reminded_at).length} reminders fired, ${clocks.filter((r) => r.escalated).length} reviews escalated, ${clocks.filter((r) => r.status === 'CANCELLED').length} consultations lapsed`,
    );

    await concurOnEach(
      stack,
      open.filter((t) => t.type === 'AGENCY_REVIEW'),
      statuses,
    );
    await declineDesignation(stack, id, statuses);
    await stack.eventually('no workflow stuck', async () => (await runningWorkflows(stack, 'proposal:')).length === 0, 30_000);
    for (const task of reviews)
      expect((await stack.temporal.workflow.getHandle(taskWorkflowId(task.id)).describe()).status.name).toBe('COMPLETED');
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const once = await assertExactlyOnce(stack, id);
    const chain = await assertAuditChainValid(stack);
    const recon = await assertReconciled(stack);
    report(
      'Temporal restart: after recovery',
      'dev server back',
      `proposal NOT_SELECTED; ${once}; HTTP answers ${[...new Set(statuses)].join(',')}; audit ${chain}; ${recon}`,
    );
  });
});
