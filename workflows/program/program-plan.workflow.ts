import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { ProgramActivityFunctions } from '../../activities/program/program.activities';
import {
  completeMilestoneUpdate,
  CompleteMilestoneRequest,
  PlanMilestone,
  PROGRAM_FAILURES,
  ProgramPlanInput,
  rebaselineMilestoneUpdate,
  RebaselineMilestoneRequest,
} from '../../libs/contracts/program';
import { planDate, planDayStart, unmetDependencies } from '../../libs/domain/program/plan';
import { QUICK_ACTIVITY } from '../activity-options';

const program = proxyActivities<ProgramActivityFunctions>(QUICK_ACTIVITY);

const DAY_MS = 86_400_000;
/** Well below Temporal's limits: a plan lives for months, so its history is renewed periodically. */
const HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW = 2_000;

/**
 * Marks the re-baseline that takes the new due date from `recordRebaseline` and updates the
 * workflow's own milestone; histories from before it re-loaded the whole plan (a second `loadPlan`).
 */
const REBASELINE_PATCH = 'rebaseline-from-recorded-due-date';

/**
 * Marks plan days counted as federal days: reminders and overdue marks fall at midnight in New York
 * (libs/domain/program/plan.ts); histories from before it used midnight UTC.
 */
const FEDERAL_DAY_PATCH = 'plan-days-federal';

type ClockEvent = { milestone: PlanMilestone; kind: 'REMINDER' | 'OVERDUE'; at: number };

/**
 * One long-lived workflow per establishment plan (id `program:<id>`, docs/spec.md section 2.5): reminds before
 * due dates, marks milestones overdue from the day after their due date, and takes completions
 * (with evidence; dependencies first) and re-baselined due dates as Updates. Ends when every
 * milestone is done. The workflow holds the plan's state: it loads the plan once per run and
 * keeps it current itself.
 */
export async function programPlanWorkflow(input: ProgramPlanInput): Promise<void> {
  const milestones: PlanMilestone[] = [];
  let loaded = false;
  let changes = 0;
  const historyLimit = input.historyEventsBeforeContinueAsNew ?? HISTORY_EVENTS_BEFORE_CONTINUE_AS_NEW;
  const find = (id: string) => {
    const milestone = milestones.find((m) => m.id === id);
    if (!milestone) throw ApplicationFailure.nonRetryable(`Milestone ${id} is not part of this plan`, PROGRAM_FAILURES.wrongState);
    if (milestone.done) {
      throw ApplicationFailure.nonRetryable(`Milestone "${milestone.title}" is already done`, PROGRAM_FAILURES.wrongState);
    }
    return milestone;
  };
  const checkCompletion = (request: CompleteMilestoneRequest) => {
    const milestone = find(request.milestoneId);
    const unmet = unmetDependencies(milestone.dependsOn, new Set(milestones.filter((m) => m.done).map((m) => m.key)));
    if (unmet.length) {
      const titles = milestones
        .filter((m) => unmet.includes(m.key))
        .map((m) => `"${m.title}"`)
        .join(', ');
      throw ApplicationFailure.nonRetryable(`Complete ${titles} first`, PROGRAM_FAILURES.dependencies);
    }
  };
  const checkRebaseline = (request: RebaselineMilestoneRequest) => void find(request.milestoneId);
  /**
   * Handlers are registered before the plan is loaded (first run, and after each continue-as-new).
   * An Update that arrives meanwhile is admitted, waits for the plan and is checked then (failing
   * the same way the validator would have refused it). Handlers call this only while not loaded:
   * once loaded they run without a pause, scheduling their activity in the same step as before
   * (recorded histories expect that order of commands).
   */
  const untilLoaded = async <R>(request: R, check: (request: R) => void) => {
    await condition(() => loaded);
    check(request);
  };

  setHandler(
    completeMilestoneUpdate,
    async (request) => {
      if (!loaded) await untilLoaded(request, checkCompletion);
      find(request.milestoneId).done = true;
      changes += 1;
      await program.recordCompletion({ ...request, programId: input.programId });
    },
    { validator: (request: CompleteMilestoneRequest) => void (loaded && checkCompletion(request)) },
  );

  setHandler(
    rebaselineMilestoneUpdate,
    async (request) => {
      if (!loaded) await untilLoaded(request, checkRebaseline);
      const recorded = await program.recordRebaseline({ ...request, programId: input.programId });
      if (patched(REBASELINE_PATCH)) {
        const milestone = milestones.find((m) => m.id === request.milestoneId);
        // A new due date restarts its reminder and overdue marks (as the projection does).
        if (milestone && milestone.dueDate !== recorded.dueDate) {
          Object.assign(milestone, { dueDate: recorded.dueDate, reminded: false, overdue: false });
        }
      } else {
        const reloaded = await program.loadPlan(input.programId);
        milestones.splice(0, milestones.length, ...reloaded);
      }
      changes += 1;
    },
    { validator: (request: RebaselineMilestoneRequest) => void (loaded && checkRebaseline(request)) },
  );

  milestones.push(...(await program.loadPlan(input.programId)));
  loaded = true;

  const federalDays = patched(FEDERAL_DAY_PATCH);
  const dayStart = (date: string) => (federalDays ? planDayStart(date) : Date.parse(`${date}T00:00:00Z`));
  // The day after the due date begins at the next midnight, 23 or 25 hours later across a DST change.
  const overdueFrom = (date: string) => (federalDays ? planDayStart(planDate(date, 1)) : dayStart(date) + DAY_MS);
  const clockEvents = (): ClockEvent[] =>
    milestones
      .filter((m) => !m.done)
      .flatMap((milestone) => {
        const dueStart = dayStart(milestone.dueDate);
        return [
          ...(milestone.reminded ? [] : [{ milestone, kind: 'REMINDER' as const, at: dueStart - input.reminderDaysBefore * DAY_MS }]),
          ...(milestone.overdue ? [] : [{ milestone, kind: 'OVERDUE' as const, at: overdueFrom(milestone.dueDate) }]),
        ];
      });

  while (milestones.some((m) => !m.done)) {
    if (workflowInfo().historyLength > historyLimit) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof programPlanWorkflow>(input);
    }
    const events = clockEvents();
    const ready = events.filter((e) => e.at <= Date.now());
    for (const event of ready) {
      const overdueAlready = event.kind === 'REMINDER' && overdueFrom(event.milestone.dueDate) <= Date.now();
      // A milestone already past due gets its overdue mark, not a late reminder.
      if (!overdueAlready) {
        await program.recordMilestoneEvent({ programId: input.programId, milestoneId: event.milestone.id, kind: event.kind });
      }
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
