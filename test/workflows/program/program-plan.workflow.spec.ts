import { WorkflowUpdateFailedError } from '@temporalio/client';
import {
  completeMilestoneUpdate,
  PROGRAM_FAILURES,
  PROGRAM_TASK_QUEUE,
  ProgramPlanInput,
  programWorkflowId,
  rebaselineMilestoneUpdate,
} from '../../../libs/contracts/program';
import { planDate, planDayStart } from '../../../libs/domain/program/plan';
import type { programPlanWorkflow } from '../../../workflows/program/program-plan.workflow';
import { patchMarkers, saveHistory } from '../../support/workflow-histories';
import { actor, eventually, newId, PlanScenario, todayUtc, WorkflowHarness } from '../../support/workflow-harness';

const DAY_MS = 86_400_000;

/**
 * programPlanWorkflow with stub program activities over an in-memory plan "database": reminders,
 * overdue marks, completion with dependencies, re-baselining (the workflow keeps its own plan)
 * and continue-as-new with a low injected history threshold.
 */
describe('programPlanWorkflow', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start([PROGRAM_TASK_QUEUE]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const manager = actor('PROGRAM_MANAGER', 'COMMERCE', 'commerce.program_manager');
  const evidence = { text: 'Done, see link', link: 'https://example.gov/evidence' };
  const milestone = (key: string, dueDay: number, dependsOn: string[] = []) => ({
    id: `${key}-${newId()}`,
    key,
    title: `Milestone ${key}`,
    dueDay,
    dependsOn,
  });

  async function startPlan(scenario: Omit<PlanScenario, 'startDate'>, input: Partial<ProgramPlanInput> = {}) {
    const programId = newId();
    h.storePlan(programId, { startDate: todayUtc(), ...scenario });
    const handle = await h.client.workflow.start<typeof programPlanWorkflow>('programPlanWorkflow', {
      taskQueue: PROGRAM_TASK_QUEUE,
      workflowId: programWorkflowId(programId),
      args: [{ programId, reminderDaysBefore: 7, ...input }],
    });
    const [a, b, c] = scenario.milestones.map((m) => h.storedPlan(programId).milestones.find((x) => x.key === m.key)!.id);
    return { programId, handle, ids: { a, b, c } };
  }
  const events = (programId: string) =>
    h.callsOf('recordMilestoneEvent', (i) => i.programId === programId).map((c) => `${c.input.milestoneId.split('-')[0]}:${c.input.kind}`);

  async function refusal(promise: Promise<unknown>): Promise<{ type?: string; message: string }> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return (error as WorkflowUpdateFailedError).cause as { type?: string; message: string };
  }

  it('reminds within the reminder window, marks past-due milestones overdue without a late reminder, and leaves later ones alone', async () => {
    const { programId, handle } = await startPlan({ milestones: [milestone('a', 3), milestone('b', -2), milestone('c', 30)] });
    await eventually('two milestone events', () => events(programId).length >= 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(events(programId)).toEqual(['a:REMINDER', 'b:OVERDUE']);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });

  it('sends a reminder when its timer fires', async () => {
    const start = Date.now();
    const dueStart = planDayStart(planDate(todayUtc(), 1));
    // Fractional days put the reminder 1.5 s from now (the workflow computes dueStart - days * 24 h, from midnight in New York).
    const { programId, handle } = await startPlan(
      { milestones: [milestone('a', 1)] },
      { reminderDaysBefore: (dueStart - start - 1_500) / DAY_MS },
    );
    await new Promise((r) => setTimeout(r, 700));
    expect(events(programId)).toEqual([]);
    const [reminder] = await h.waitForCall('recordMilestoneEvent', (i) => i.programId === programId);
    expect(reminder.input.kind).toBe('REMINDER');
    expect(reminder.at - start).toBeGreaterThanOrEqual(1_400);
    await handle.terminate('test done');
  });

  it('refuses a completion before its dependencies, accepts it after them, and ends when every milestone is done', async () => {
    const { programId, handle, ids } = await startPlan({ milestones: [milestone('a', 20), milestone('b', 25, ['a'])] });
    await h.waitForCall('loadPlan', (i) => i === programId);
    const early = await refusal(
      handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.b, evidence, actor: manager }] }),
    );
    expect(early).toMatchObject({ type: PROGRAM_FAILURES.dependencies, message: expect.stringContaining('"Milestone a"') });
    await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.a, evidence, actor: manager }] });
    expect(
      await refusal(handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.a, evidence, actor: manager }] })),
    ).toMatchObject({ type: PROGRAM_FAILURES.wrongState });
    expect(
      await refusal(handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: 'no-such', evidence, actor: manager }] })),
    ).toMatchObject({ type: PROGRAM_FAILURES.wrongState });
    await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.b, evidence, actor: manager }] });
    await handle.result();
    expect(h.callsOf('recordMilestoneCompletion', (i) => i.programId === programId).map((c) => c.input)).toEqual([
      { programId, milestoneId: ids.a, evidence, actor: manager },
      { programId, milestoneId: ids.b, evidence, actor: manager },
    ]);
    expect(events(programId)).toEqual([]);
    expect(patchMarkers(await handle.fetchHistory())).toEqual(['plan-days-federal']);
    await saveHistory(handle, 'program-plan-days-federal');
  });

  it('takes a re-baselined due date from recordRebaseline and restarts its reminder and overdue marks, without re-loading the plan', async () => {
    const { programId, handle, ids } = await startPlan({ milestones: [milestone('a', -3), milestone('b', 40)] });
    await eventually('the overdue mark', () => events(programId).includes('a:OVERDUE'));
    await handle.executeUpdate(rebaselineMilestoneUpdate, {
      args: [{ milestoneId: ids.a, dueDay: 2, reason: 'Interagency sign-off moved', actor: manager }],
    });
    expect(h.callsOf('recordRebaseline', (i) => i.programId === programId).map((c) => c.input)).toEqual([
      { programId, milestoneId: ids.a, dueDay: 2, reason: 'Interagency sign-off moved', actor: manager },
    ]);
    // Due in 2 days, within the 7-day window: a fresh reminder for the new date.
    await eventually('the reminder for the new due date', () => events(programId).includes('a:REMINDER'));
    // Re-baselining far out sends nothing; the same due day again changes nothing.
    await handle.executeUpdate(rebaselineMilestoneUpdate, { args: [{ milestoneId: ids.b, dueDay: 60, reason: 'Later', actor: manager }] });
    await handle.executeUpdate(rebaselineMilestoneUpdate, { args: [{ milestoneId: ids.a, dueDay: 2, reason: 'Same', actor: manager }] });
    await new Promise((r) => setTimeout(r, 300));
    expect(events(programId)).toEqual(['a:OVERDUE', 'a:REMINDER']);
    expect(h.callsOf('loadPlan', (i) => i === programId)).toHaveLength(1);
    expect(
      await refusal(
        handle.executeUpdate(rebaselineMilestoneUpdate, { args: [{ milestoneId: 'no-such', dueDay: 5, reason: 'x', actor: manager }] }),
      ),
    ).toMatchObject({ type: PROGRAM_FAILURES.wrongState });

    for (const milestoneId of [ids.a, ids.b])
      await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId, evidence, actor: manager }] });
    await handle.result();
    // The new branch is marked in the history, once per re-baseline.
    expect(patchMarkers(await handle.fetchHistory())).toEqual(['plan-days-federal', 'rebaseline-from-recorded-due-date']);
    await saveHistory(handle, 'program-rebaselined-from-recorded-due-date');
  });

  it('takes Updates that arrive while the plan is loading once it is loaded, and checks them then', async () => {
    let release!: () => void;
    const loadGate = new Promise<void>((r) => (release = r));
    const { programId, handle, ids } = await startPlan({ milestones: [milestone('a', 20), milestone('b', 21, ['a'])], loadGate });
    await h.waitForCall('loadPlan', (i) => i === programId);
    const early = handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.a, evidence, actor: manager }] });
    const unknown = refusal(
      handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: 'no-such', evidence, actor: manager }] }),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(h.callsOf('recordMilestoneCompletion', (i) => i.programId === programId)).toHaveLength(0);
    release();
    await early;
    expect(await unknown).toMatchObject({ type: PROGRAM_FAILURES.wrongState, message: expect.stringContaining('not part of this plan') });
    await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.b, evidence, actor: manager }] });
    await handle.result();
    expect(h.callsOf('recordMilestoneCompletion', (i) => i.programId === programId).map((c) => c.input.milestoneId)).toEqual([
      ids.a,
      ids.b,
    ]);
    await saveHistory(handle, 'program-update-while-loading');
  });

  it('continues as new once its history passes the injected threshold, keeping the plan', async () => {
    // A run reaches its loop after 9 events (start, load, first task): with 10, each Update tips it over.
    const { programId, handle, ids } = await startPlan(
      { milestones: [milestone('a', 30), milestone('b', 31), milestone('c', 32)] },
      { historyEventsBeforeContinueAsNew: 10 },
    );
    await h.waitForCall('loadPlan', (i) => i === programId);
    const firstRunId = (await handle.describe()).runId;
    await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.a, evidence, actor: manager }] });
    await h.waitForCall('loadPlan', (i) => i === programId, 2);
    const first = await h.client.workflow.getHandle(programWorkflowId(programId), firstRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    const second = await handle.describe();
    expect(second.runId).not.toBe(firstRunId);
    expect(second.status.name).toBe('RUNNING');
    // The new run got the same input (threshold included) and re-loaded the plan with A done.
    expect(
      await refusal(handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.a, evidence, actor: manager }] })),
    ).toMatchObject({ type: PROGRAM_FAILURES.wrongState });
    await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.b, evidence, actor: manager }] });
    await h.waitForCall('loadPlan', (i) => i === programId, 3);
    await handle.executeUpdate(completeMilestoneUpdate, { args: [{ milestoneId: ids.c, evidence, actor: manager }] });
    await handle.result();
    expect(h.callsOf('recordMilestoneCompletion', (i) => i.programId === programId).map((c) => c.input.milestoneId)).toEqual([
      ids.a,
      ids.b,
      ids.c,
    ]);
    await saveHistory(h.client.workflow.getHandle(programWorkflowId(programId), firstRunId), 'program-continued-as-new');
  });
});
