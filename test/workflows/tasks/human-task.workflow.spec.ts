import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  answerInformationUpdate,
  claimTaskUpdate,
  HumanTaskInput,
  releaseTaskUpdate,
  requestInformationUpdate,
  TASK_FAILURES,
  TASKS_TASK_QUEUE,
  taskStateQuery,
  taskWorkflowId,
} from '../../../libs/contracts/tasks';
import type { TaskType } from '../../../libs/domain/tasks/task-types';
import type { Agency } from '../../../libs/domain/identity/roles';
import { actor, actorFor, newId, OpenedTask, WorkflowHarness } from '../../support/workflow-harness';

/**
 * humanTaskWorkflow alone (`task:<taskId>` on the tasks queue), with stub task activities: the
 * SLA clock (reminder, escalation, lapse), tolling for information requests, claims and the
 * Update validators.
 */
describe('humanTaskWorkflow', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start([TASKS_TASK_QUEUE]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function startTask(type: TaskType, agency: Agency, clock?: { dueInMs: number; reminderFraction?: number }): Promise<OpenedTask> {
    const input: HumanTaskInput = { taskId: newId(), proposalId: newId(), type, agency, form: { title: 'Agency review' }, context: {} };
    if (clock) h.taskClocks.set(input.taskId, clock);
    await h.client.workflow.start('humanTaskWorkflow', {
      taskQueue: TASKS_TASK_QUEUE,
      workflowId: taskWorkflowId(input.taskId),
      args: [input],
    });
    await h.waitForCall('openTask', (i) => i.taskId === input.taskId);
    return { taskId: input.taskId, input, handle: h.client.workflow.getHandle(taskWorkflowId(input.taskId)) };
  }

  async function refusal(promise: Promise<unknown>): Promise<{ type?: string; message: string }> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
    return { type: cause.type, message: cause.message };
  }

  it('sends the SLA reminder at the reminder time and, completed before the due date, never escalates', async () => {
    const task = await startTask('AGENCY_REVIEW', 'STATE', { dueInMs: 2_500, reminderFraction: 0.4 }); // reminder at 1 s
    const opened = Date.now();
    const [reminder] = await h.waitForCall('recordSlaEvent', (i) => i.taskId === task.taskId && i.event === 'REMINDER');
    expect(reminder.at - opened).toBeGreaterThanOrEqual(800);
    const outcome = await h.complete(task, { decision: 'CONCUR' });
    expect(outcome).toMatchObject({ taskId: task.taskId, decision: 'CONCUR', decidedBy: 'state.reviewer', agency: 'STATE' });
    expect(await task.handle.result()).toEqual(outcome);
    await new Promise((r) => setTimeout(r, 1_600)); // past the due date: nothing more happens
    expect(h.slaEvents(task.taskId)).toEqual(['REMINDER']);
    expect(h.callsOf('recordCompletion', (i) => i.outcome.taskId === task.taskId)).toHaveLength(1);
    expect(h.callsOf('deliverTask', (i) => i.input.taskId === task.taskId)).toHaveLength(1);
  });

  it('escalates an overdue review to the agency supervisor, who may complete a task claimed by someone else', async () => {
    const task = await startTask('AGENCY_REVIEW', 'COMMERCE', { dueInMs: 1_500 });
    const reviewer = actor('REVIEWER', 'COMMERCE', 'commerce.reviewer');
    await task.handle.executeUpdate(claimTaskUpdate, { args: [reviewer] });
    await h.waitForCall('recordSlaEvent', (i) => i.taskId === task.taskId && i.event === 'ESCALATED');
    expect(h.slaEvents(task.taskId)).toEqual(['REMINDER', 'ESCALATED']);
    expect(await task.handle.query(taskStateQuery)).toEqual({ status: 'CLAIMED', assignee: 'commerce.reviewer', escalated: true });

    const colleague = actor('REVIEWER', 'COMMERCE', 'commerce.reviewer2');
    expect(await refusal(h.complete(task, { decision: 'CONCUR' }, colleague))).toMatchObject({ type: TASK_FAILURES.claimedByAnother });
    const supervisor = actor('SUPERVISOR', 'COMMERCE', 'commerce.supervisor');
    const outcome = await h.complete(task, { decision: 'NON_CONCUR', comment: 'Decided by the supervisor after escalation' }, supervisor);
    expect(outcome).toMatchObject({ decision: 'NON_CONCUR', decidedBy: 'commerce.supervisor' });
    expect(await task.handle.result()).toEqual(outcome);
  });

  it('lapses an unanswered consultation as NO_RESPONSE and then refuses completions', async () => {
    const task = await startTask('CONSULTATION', 'DOD', { dueInMs: 1_000 });
    const outcome = await task.handle.result();
    expect(outcome).toMatchObject({ taskId: task.taskId, type: 'CONSULTATION', agency: 'DOD', decision: 'NO_RESPONSE', decidedBy: null });
    expect(h.slaEvents(task.taskId)).toEqual(['REMINDER', 'LAPSED']);
    expect(h.callsOf('recordCompletion', (i) => i.outcome.taskId === task.taskId)).toHaveLength(0);
  });

  it('stops the clock while an information request is open and moves the due date by the paused time', async () => {
    const task = await startTask('AGENCY_REVIEW', 'OSTP', { dueInMs: 3_000 }); // reminder at 2.4 s without tolling
    const reviewer = actorFor(task.input);
    const { requestId } = await task.handle.executeUpdate(requestInformationUpdate, {
      args: [{ question: 'Which data centres?', actor: reviewer }],
    });
    const [asked] = h.callsOf('recordInformationRequest', (i) => i.taskId === task.taskId);
    expect(asked.input).toMatchObject({ requestId, question: 'Which data centres?', agency: 'OSTP', proposalId: task.input.proposalId });
    // A second request while one is open is refused before anything is written.
    expect(
      await refusal(task.handle.executeUpdate(requestInformationUpdate, { args: [{ question: 'And?', actor: reviewer }] })),
    ).toMatchObject({ type: TASK_FAILURES.notOpen });

    await new Promise((r) => setTimeout(r, 3_200)); // past the original reminder and due date
    expect(h.slaEvents(task.taskId)).toEqual([]);
    const applicant = actor('APPLICANT', null, 'applicant.acme');
    expect(
      await refusal(
        task.handle.executeUpdate(answerInformationUpdate, { args: [{ requestId: 'not-this-one', answer: 'x', actor: applicant }] }),
      ),
    ).toMatchObject({ type: TASK_FAILURES.notOpen });
    await task.handle.executeUpdate(answerInformationUpdate, { args: [{ requestId, answer: 'Nairobi and Mombasa', actor: applicant }] });
    const [answered] = h.callsOf('recordInformationAnswer', (i) => i.taskId === task.taskId);
    const original = h.callsOf('openTask', (i) => i.taskId === task.taskId)[0].result as { dueAt: string; reminderAt: string };
    expect(answered.input.pausedMs).toBeGreaterThanOrEqual(3_100);
    expect(Date.parse(answered.input.dueAt)).toBe(Date.parse(original.dueAt) + answered.input.pausedMs);
    expect(Date.parse(answered.input.reminderAt)).toBe(Date.parse(original.reminderAt) + answered.input.pausedMs);

    const [escalated] = await h.waitForCall('recordSlaEvent', (i) => i.taskId === task.taskId && i.event === 'ESCALATED');
    expect(h.slaEvents(task.taskId)).toEqual(['REMINDER', 'ESCALATED']);
    // Escalated at the moved due date, not at the original one.
    expect(escalated.at).toBeGreaterThanOrEqual(Date.parse(answered.input.dueAt));
    await h.complete(task, { decision: 'CONCUR' });
    await task.handle.result();
  });

  it('records each claim and release with a fresh event key made by the workflow', async () => {
    const task = await startTask('SCREENING_ADJUDICATION', 'COMMERCE');
    const officer = actorFor(task.input);
    expect(await task.handle.executeUpdate(claimTaskUpdate, { args: [officer] })).toEqual({
      status: 'CLAIMED',
      assignee: officer.username,
      escalated: false,
    });
    expect(await task.handle.executeUpdate(releaseTaskUpdate, { args: [officer] })).toEqual({
      status: 'OPEN',
      assignee: null,
      escalated: false,
    });
    expect(await refusal(task.handle.executeUpdate(releaseTaskUpdate, { args: [officer] }))).toMatchObject({ type: TASK_FAILURES.notOpen });
    await task.handle.executeUpdate(claimTaskUpdate, { args: [officer] });
    const assignments = h.callsOf('recordAssignment', (i) => i.taskId === task.taskId).map((c) => c.input);
    expect(assignments.map((a) => a.assignee)).toEqual([officer.username, null, officer.username]);
    for (const a of assignments) expect(a.eventKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(assignments.map((a) => a.eventKey)).size).toBe(3);

    // Wrong decisions and a confirmation without a comment are refused by the validator.
    expect(await refusal(h.complete(task, { decision: 'CONCUR' }))).toMatchObject({ type: TASK_FAILURES.invalidCompletion });
    expect(await refusal(h.complete(task, { decision: 'CONFIRM_MATCH' }))).toMatchObject({
      type: TASK_FAILURES.invalidCompletion,
      message: expect.stringContaining('comment'),
    });
    await h.complete(task, { decision: 'CONFIRM_MATCH', comment: 'Same entity as the listed party' });
    expect(await task.handle.result()).toMatchObject({ decision: 'CONFIRM_MATCH', comment: 'Same entity as the listed party' });
    // The task workflow has closed: nothing can claim it any more.
    await expect(task.handle.executeUpdate(claimTaskUpdate, { args: [officer] })).rejects.toThrow(/not found|already completed/i);
  });

  it('closes the inbox row as CANCELLED when the workflow is cancelled', async () => {
    const task = await startTask('AGENCY_REVIEW', 'STATE');
    await task.handle.cancel();
    await expect(task.handle.result()).rejects.toThrow();
    expect(h.slaEvents(task.taskId)).toEqual(['CANCELLED']);
    expect((await task.handle.describe()).status.name).toBe('CANCELLED');
  });
});
