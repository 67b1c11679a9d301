import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { assertAuditChainValid, assertExactlyOnce, assertReconciled, runningWorkflows } from '../support/fault-checks';
import { report } from '../support/fault-services';
import {
  catchInFlight,
  concurOnEach,
  declineDesignation,
  kill9,
  respawn,
  retrying,
  REVIEWERS,
  reviewTasks,
  submit,
} from '../support/fault-stack';
import { Stack } from '../support/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault: kill -9 the worker', () => {
  let stack: Stack;
  const statuses: number[] = [];
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  it('during an activity, a workflow task and an in-flight Update: every workflow completes, everything exactly once', async () => {
    // 1. During an activity: the intake activities right after submission.
    const id = await submit(stack);
    const activity = await catchInFlight(stack, proposalWorkflowId(id), (raw) => raw.pendingActivities?.[0]?.activityType?.name, 20_000);
    await kill9(stack, 'worker');
    await sleep(1_000);
    await respawn(stack, 'worker');
    report('worker kill -9 during an activity', `SIGKILL while activity ${activity ?? '(none caught)'} was pending`, 'worker restarted');
    expect(activity).toBeDefined();

    const reviews = await reviewTasks(stack, id, 90_000);
    await concurOnEach(stack, reviews.slice(0, 3), statuses);

    // 2. While an Update is in flight: the request is sent, the worker dies before it runs the handler.
    const inFlight = reviews[3];
    const key = `fault-update-${inFlight.id}`;
    const send = () =>
      stack.as(
        REVIEWERS[inFlight.agency],
        'POST',
        `/api/v1/tasks/${inFlight.id}/complete`,
        { decision: 'CONCUR' },
        { 'idempotency-key': key },
      );
    const pending = retrying('in-flight complete', send, statuses);
    await sleep(30);
    await kill9(stack, 'worker');
    await sleep(2_000);
    await respawn(stack, 'worker');
    const answered = await pending;
    expect(answered.status).toBe(200);
    report(
      'worker kill -9 while an Update is in flight',
      `SIGKILL 30 ms after POST /tasks/${inFlight.id}/complete was sent`,
      `answered ${answered.status}`,
    );

    // 3. During a workflow task: the last review wakes the proposal workflow (child result).
    const last = reviews[4];
    const completing = retrying(
      'last complete',
      () => stack.as(REVIEWERS[last.agency], 'POST', `/api/v1/tasks/${last.id}/complete`, { decision: 'CONCUR' }),
      statuses,
    );
    const workflowTask = await catchInFlight(
      stack,
      proposalWorkflowId(id),
      (raw) => (raw.pendingWorkflowTask ? `a workflow task (${raw.pendingWorkflowTask.state === 2 ? 'STARTED' : 'SCHEDULED'})` : undefined),
      20_000,
    );
    await kill9(stack, 'worker');
    await sleep(1_000);
    await respawn(stack, 'worker');
    expect((await completing).status).toBe(200);
    report(
      'worker kill -9 during a workflow task',
      `SIGKILL with ${workflowTask ?? 'no workflow task caught'} pending on ${proposalWorkflowId(id)}`,
      'worker restarted',
    );
    expect(workflowTask).toBeDefined();

    const decision = await declineDesignation(stack, id, statuses, 90_000);
    await stack.eventually(
      'every workflow closed',
      async () => (await runningWorkflows(stack, proposalWorkflowId(id))).length === 0,
      30_000,
    );
    for (const task of [...reviews, decision]) {
      expect((await stack.temporal.workflow.getHandle(taskWorkflowId(task.id)).describe()).status.name).toBe('COMPLETED');
    }
    const once = await assertExactlyOnce(stack, id);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const chain = await assertAuditChainValid(stack);
    const recon = await assertReconciled(stack);
    report(
      'worker crash: after recovery',
      'three SIGKILLs',
      `proposal NOT_SELECTED, all workflows COMPLETED; ${once}; HTTP answers ${[...new Set(statuses)].join(',')}; audit ${chain}; ${recon}`,
    );
  });
});
