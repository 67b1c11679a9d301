import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ProgramActivityFunctions } from '../../activities/program/program.activities';
import {
  completeMilestoneUpdate, CompleteMilestoneRequest, PlanMilestone, PROGRAM_FAILURES, ProgramPlanInput, rebaselineMilestoneUpdate,
  RebaselineMilestoneRequest,
} from '../../libs/contracts/program';
import { unmetDependencies } from '../../libs/domain/program/plan';

const program = proxyActivities<ProgramActivityFunctions>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const DAY_MS = 86_400_000;
/** Well below Temporal's limits: a plan lives for months, so its history is renewed periodically. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 2_000;

type ClockEvent = { milestone: PlanMilestone; kind: 'REMINDER' | 'OVERDUE'; at: number };

/**
 * One long-lived workflow per establishment plan (id `program:<id>`, SPEC 2.5): reminds before
 * due dates, marks milestones overdue from the day after their due date, and takes completions
 * (with evidence; dependencies first) and re-baselined due dates as Updates. Ends when every
 * milestone is done.
 */
export async function programPlanWorkflow(input: ProgramPlanInput): Promise<void> {
  const milestones = await program.loadPlan(input.programId);
  let changes = 0;
  const find = (id: string) => {
    const milestone = milestones.find((m) => m.id === id);
    if (!milestone) throw ApplicationFailure.nonRetryable(`Milestone ${id} is not part of this plan`, PROGRAM_FAILURES.wrongState);
    if (milestone.done) throw ApplicationFailure.nonRetryable(`Milestone "${milestone.title}" is already done`, PROGRAM_FAILURES.wrongState);
    return milestone;
  };

  setHandler(
    completeMilestoneUpdate,
    async (request) => {
      find(request.milestoneId).done = true;
      changes += 1;
      await program.recordCompletion({ ...request, programId: input.programId });
    },
    {
      validator: (request: CompleteMilestoneRequest) => {
        const milestone = find(request.milestoneId);
        const unmet = unmetDependencies(milestone.dependsOn, new Set(milestones.filter((m) => m.done).map((m) => m.key)));
        if (unmet.length) {
          const titles = milestones.filter((m) => unmet.includes(m.key)).map((m) => `"${m.title}"`).join(', ');
          throw ApplicationFailure.nonRetryable(`Complete ${titles} first`, PROGRAM_FAILURES.dependencies);
        }
      },
    },
  );

  setHandler(
    rebaselineMilestoneUpdate,
    async (request) => {
      await program.recordRebaseline({ ...request, programId: input.programId });
      const reloaded = await program.loadPlan(input.programId);
      milestones.splice(0, milestones.length, ...reloaded);
      changes += 1;
    },
    { validator: (request: RebaselineMilestoneRequest) => void find(request.milestoneId) },
  );

  const clockEvents = (): ClockEvent[] =>
    milestones.filter((m) => !m.done).flatMap((milestone) => {
      const dueStart = Date.parse(`${milestone.dueDate}T00:00:00Z`);
      return [
        ...(milestone.reminded ? [] : [{ milestone, kind: 'REMINDER' as const, at: dueStart - input.reminderDaysBefore * DAY_MS }]),
        ...(milestone.overdue ? [] : [{ milestone, kind: 'OVERDUE' as const, at: dueStart + DAY_MS }]),
      ];
    });

  while (milestones.some((m) => !m.done)) {
    if (workflowInfo().historyLength > HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof programPlanWorkflow>(input);
    }
    const events = clockEvents();
    const ready = events.filter((e) => e.at <= Date.now());
    for (const event of ready) {
      const overdueAlready = event.kind === 'REMINDER' && Date.parse(`${event.milestone.dueDate}T00:00:00Z`) + DAY_MS <= Date.now();
      // A milestone already past due gets its overdue mark, not a late reminder.
      if (!overdueAlready) await program.recordMilestoneEvent({ programId: input.programId, milestoneId: event.milestone.id, kind: event.kind });
      if (event.kind === 'REMINDER') event.milestone.reminded = true;
      else event.milestone.overdue = true;
    }
    if (ready.length) continue;
    const next = Math.min(...events.map((e) => e.at));
    const seen = changes;
    if (Number.isFinite(next)) await condition(() => changes !== seen, Math.max(1, next - Date.now()));
    else await condition(() => changes !== seen);
  }
  await condition(allHandlersFinished);
}
