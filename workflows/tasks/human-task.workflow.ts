import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  uuid4,
} from '@temporalio/workflow';
import type { TaskActivityFunctions } from '../../activities/tasks/task.activities';
import {
  answerInformationUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  CompleteTaskRequest,
  HumanTaskInput,
  HumanTaskState,
  InformationAnswer,
  InformationRequest,
  reassignTaskUpdate,
  releaseTaskUpdate,
  requestInformationUpdate,
  TASK_FAILURES,
  TaskActor,
  TaskOutcome,
  TaskReassignment,
  taskStateQuery,
} from '../../libs/contracts/tasks';
import { validateCompletion } from '../../libs/domain/tasks/task-types';
import { QUICK_ACTIVITY, TASK_DELIVERY } from '../activity-options';

const tasks = proxyActivities<TaskActivityFunctions>(QUICK_ACTIVITY);

const delivering = proxyActivities<TaskActivityFunctions>(TASK_DELIVERY);

function rethrowUnlessCancelled(error: unknown): void {
  if (!isCancellation(error)) throw error;
}

/** Marks the clock that pauses for information requests (workflow versioning, see replay tests). */
const TOLLING_PATCH = 'information-request-tolling';

interface SlaClock {
  reminderAt: number;
  dueAt: number;
  reminded: boolean;
}

interface Tolling {
  requestId: string;
  since: number;
}

const isSupervisorOf = (actor: TaskActor, input: HumanTaskInput) => actor.roles.includes('SUPERVISOR') && actor.agency === input.agency;

/**
 * One human task (id `task:<taskId>`), whatever its type: writes the inbox row, waits for a valid
 * `completeTask` Update while running the SLA clock (reminder, then escalation or lapse), records the
 * outcome and returns it to the parent (docs/spec.md sections 3 and 8).
 */
export async function humanTaskWorkflow(input: HumanTaskInput): Promise<TaskOutcome> {
  const state: HumanTaskState = { status: 'OPEN', assignee: null, escalated: false };
  let outcome: TaskOutcome | undefined;
  /** A fact of the completion context: an advocacy referral is accepted only on an answered request (docs/spec.md section 2.3a). */
  let answeredRequests = 0;
  const isOpen = () => state.status === 'OPEN' || state.status === 'CLAIMED';

  /** docs/spec.md section 3: a task claimed by someone else is theirs, unless the caller supervises the agency. */
  const assertActionable = (actor: TaskActor) => {
    if (!isOpen()) throw ApplicationFailure.nonRetryable(`Task is ${state.status.toLowerCase()}`, TASK_FAILURES.notOpen);
    if (state.assignee && state.assignee !== actor.username && !isSupervisorOf(actor, input)) {
      throw ApplicationFailure.nonRetryable(`Task is claimed by ${state.assignee}`, TASK_FAILURES.claimedByAnother);
    }
  };

  setHandler(taskStateQuery, () => state);

  setHandler(
    claimTaskUpdate,
    async (actor) => {
      state.status = 'CLAIMED';
      state.assignee = actor.username;
      // The projection's idempotency key is made here, never from the activity's clock (uuid4 adds no command).
      await tasks.recordAssignment({
        taskId: input.taskId,
        proposalId: input.proposalId,
        assignee: actor.username,
        actor,
        eventKey: uuid4(),
      });
      return state;
    },
    { validator: assertActionable },
  );

  setHandler(
    releaseTaskUpdate,
    async (actor) => {
      state.status = 'OPEN';
      state.assignee = null;
      await tasks.recordAssignment({ taskId: input.taskId, proposalId: input.proposalId, assignee: null, actor, eventKey: uuid4() });
      return state;
    },
    {
      validator: (actor) => {
        assertActionable(actor);
        if (!state.assignee) throw ApplicationFailure.nonRetryable('Task is not claimed', TASK_FAILURES.notOpen);
      },
    },
  );

  setHandler(
    reassignTaskUpdate,
    async (request: TaskReassignment) => {
      const from = state.assignee;
      state.status = 'CLAIMED';
      state.assignee = request.assignee;
      await tasks.recordReassignment({
        taskId: input.taskId,
        proposalId: input.proposalId,
        from,
        to: request.assignee,
        reason: request.reason,
        actor: request.actor,
        eventKey: uuid4(),
      });
      return state;
    },
    {
      // Who may reassign (the agency's supervisor) and to whom is the API's check, against the users table.
      validator: (request: TaskReassignment) => {
        if (!isOpen()) throw ApplicationFailure.nonRetryable(`Task is ${state.status.toLowerCase()}`, TASK_FAILURES.notOpen);
        if (state.assignee === request.assignee) {
          throw ApplicationFailure.nonRetryable(`Task is already assigned to ${request.assignee}`, TASK_FAILURES.notOpen);
        }
      },
    },
  );

  setHandler(
    completeTaskUpdate,
    async (request: CompleteTaskRequest) => {
      // Marked completed before the first await: a concurrent second completion fails its validator.
      state.status = 'COMPLETED';
      state.assignee = request.actor.username;
      outcome = {
        taskId: input.taskId,
        type: input.type,
        agency: input.agency,
        decision: request.decision,
        comment: request.comment?.trim() || null,
        conditions: (request.conditions ?? []).map((c) => c.trim()).filter(Boolean),
        data: request.data ?? {},
        decidedBy: request.actor.username,
        decidedAt: new Date().toISOString(),
      };
      await tasks.recordCompletion({ proposalId: input.proposalId, outcome, actor: request.actor });
      return outcome;
    },
    {
      validator: (request) => {
        assertActionable(request.actor);
        const problems = validateCompletion(input.type, request, { ...input.context, answeredInformationRequests: answeredRequests });
        if (problems.length) {
          throw ApplicationFailure.create({
            type: TASK_FAILURES.invalidCompletion,
            message: problems.map((p) => p.message).join('; '),
            details: [problems],
            nonRetryable: true,
          });
        }
      },
    },
  );

  const clock: SlaClock = { reminderAt: 0, dueAt: 0, reminded: false };
  let tolling: Tolling | undefined;
  const remind = () => tasks.recordSlaEvent({ taskId: input.taskId, proposalId: input.proposalId, event: 'REMINDER' });

  /** The clock as first written: reminder, then due date; true when the due date passed with the task open. */
  async function runFixedClock(): Promise<boolean> {
    if (!(await condition(() => !isOpen(), Math.max(0, clock.reminderAt - Date.now())))) await remind();
    return !(await condition(() => !isOpen(), Math.max(0, clock.dueAt - Date.now())));
  }

  /** The same clock, stopped while the applicant answers an information request (tolling). */
  async function runTollableClock(): Promise<boolean> {
    while (isOpen()) {
      if (tolling) {
        await condition(() => !isOpen() || !tolling);
        continue;
      }
      const target = clock.reminded ? clock.dueAt : clock.reminderAt;
      if (await condition(() => !isOpen() || !!tolling, Math.max(0, target - Date.now()))) continue;
      if (clock.reminded) return true;
      clock.reminded = true;
      await remind();
    }
    return false;
  }

  setHandler(
    requestInformationUpdate,
    async (request) => {
      tolling = { requestId: uuid4(), since: Date.now() };
      await tasks.recordInformationRequest({
        ...request,
        requestId: tolling.requestId,
        taskId: input.taskId,
        proposalId: input.proposalId,
        agency: input.agency,
      });
      return { requestId: tolling.requestId };
    },
    {
      validator: (request: InformationRequest) => {
        assertActionable(request.actor);
        if (tolling) {
          throw ApplicationFailure.nonRetryable('An information request is already awaiting the applicant', TASK_FAILURES.notOpen);
        }
      },
    },
  );

  setHandler(
    answerInformationUpdate,
    async (answer) => {
      const { requestId, since } = tolling as Tolling;
      tolling = undefined;
      answeredRequests += 1;
      // The paused time is added to the deadlines: the agency's clock did not run meanwhile.
      const pausedMs = Date.now() - since;
      clock.dueAt += pausedMs;
      if (!clock.reminded) clock.reminderAt += pausedMs;
      await tasks.recordInformationAnswer({
        ...answer,
        requestId,
        taskId: input.taskId,
        proposalId: input.proposalId,
        pausedMs,
        dueAt: new Date(clock.dueAt).toISOString(),
        reminderAt: new Date(clock.reminderAt).toISOString(),
      });
      return { requestId };
    },
    {
      validator: (answer: InformationAnswer) => {
        if (!isOpen() || !tolling || tolling.requestId !== answer.requestId) {
          throw ApplicationFailure.nonRetryable('No such information request is awaiting an answer', TASK_FAILURES.notOpen);
        }
      },
    },
  );

  try {
    const deadlines = await tasks.openTask(input);
    // The agency's system may be down: delivery retries with backoff while the SLA clock runs.
    void delivering.deliverTask({ input, dueAt: deadlines.dueAt }).catch(rethrowUnlessCancelled);
    Object.assign(clock, { reminderAt: Date.parse(deadlines.reminderAt), dueAt: Date.parse(deadlines.dueAt) });
    // Histories from before information requests ran this clock without pauses; replay them as they ran.
    const breach = patched(TOLLING_PATCH) ? await runTollableClock() : await runFixedClock();
    if (breach) {
      if (deadlines.onBreach === 'LAPSE') {
        state.status = 'CANCELLED';
        outcome = lapsedOutcome(input);
        await tasks.recordSlaEvent({ taskId: input.taskId, proposalId: input.proposalId, event: 'LAPSED' });
        await condition(allHandlersFinished);
        return outcome;
      }
      state.escalated = true;
      await tasks.recordSlaEvent({ taskId: input.taskId, proposalId: input.proposalId, event: 'ESCALATED' });
    }
    await condition(() => !isOpen());
    await condition(allHandlersFinished);
    return outcome as TaskOutcome;
  } catch (error) {
    if (isCancellation(error)) {
      // The proposal moved on (withdrawn, ineligible): close the inbox row, then end as cancelled.
      state.status = 'CANCELLED';
      await CancellationScope.nonCancellable(async () => {
        await tasks.recordSlaEvent({ taskId: input.taskId, proposalId: input.proposalId, event: 'CANCELLED' });
        // Handlers still running (their activities are cancelled with the workflow) finish first.
        await condition(allHandlersFinished);
      });
    }
    throw error;
  }
}

function lapsedOutcome(input: HumanTaskInput): TaskOutcome {
  return {
    taskId: input.taskId,
    type: input.type,
    agency: input.agency,
    decision: 'NO_RESPONSE',
    comment: null,
    conditions: [],
    data: {},
    decidedBy: null,
    decidedAt: new Date().toISOString(),
  };
}
