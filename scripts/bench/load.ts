import type { Client } from '@temporalio/client';
import { proposalWorkflowId, ProposalWorkflowState } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { Percentiles, percentiles, sleep, Timings } from './workload';

/** One proposal's life from filing to its workflow's close. */
export interface Lifecycle {
  proposalId: string;
  ms: number;
  ok: boolean;
  error?: string;
}

/** What the load runner drives: B0 (SDK client) or E2E (HTTP API). */
export interface ArmDriver {
  readonly timings: Timings;
  /** Files one proposal and resolves when its workflow has closed (never rejects). */
  lifecycle(): Promise<Lifecycle>;
  /** Sum of stateTransitionCount over the proposal's workflow and its task children. */
  stateTransitions(proposalId: string): Promise<StateTransitions>;
}

export interface StateTransitions {
  proposal: number;
  tasks: number;
  taskWorkflows: number;
  total: number;
}

export interface LoadPlan {
  /** Sequential lifecycles measured with nothing else running (the unloaded value). */
  baseline: number;
  /** Offered rates, proposals per minute, one step each, in order. */
  rates: number[];
  stepSeconds: number;
  /** How long a step's backlog may take to drain after its arrivals stop. */
  graceSeconds: number;
}

export interface StepResult {
  offeredPerMin: number;
  arrivals: number;
  completed: number;
  failed: number;
  drained: boolean;
  /** The step's lifecycles completed per minute of its arrival window (plus the grace period when not drained). */
  throughputPerMin: number;
  maxInFlight: number;
  lifecycleMs: Percentiles;
  held: boolean;
  /** Why the step broke the SLO, when it did. */
  broke: string[];
  calls: Record<string, Percentiles>;
}

export interface LoadResult {
  plan: LoadPlan;
  unloaded: { lifecycleMs: Percentiles; calls: Record<string, Percentiles> };
  sloLifecycleP95Ms: number;
  /** Completed lifecycles per minute at the highest step that held the SLO (0 when none did). */
  sustainedPerMin: number;
  sustainedStep: number | null;
  steps: StepResult[];
  stateTransitions: StateTransitions;
  errors: string[];
}

/** Reports progress: seconds of planned load done so far, and a status line. */
export type Progress = (doneSeconds: number, status: string) => void;

/** Seconds of planned load a plan takes (the progress bar's total), counting a baseline lifecycle as `baselineSeconds`. */
export const plannedSeconds = (plan: LoadPlan, baselineSeconds: number) =>
  plan.baseline * baselineSeconds + plan.rates.length * plan.stepSeconds;

/**
 * The unloaded baseline, then open-loop arrivals at fixed intervals at each offered rate until a step breaks the
 * SLO: p95 lifecycle over 2x the unloaded p95, a failed lifecycle, or a backlog still running
 * `graceSeconds` after the step's arrivals stopped.
 */
export async function runLoad(arm: ArmDriver, plan: LoadPlan, baselineSeconds: number, progress: Progress): Promise<LoadResult> {
  const errors: string[] = [];
  const baseline: Lifecycle[] = [];
  arm.timings.enter('baseline');
  for (let i = 0; i < plan.baseline; i++) {
    const run = await arm.lifecycle();
    if (!run.ok) throw new Error(`An unloaded lifecycle failed: ${run.error}`);
    baseline.push(run);
    progress((i + 1) * baselineSeconds, `baseline ${i + 1}/${plan.baseline}: ${Math.round(run.ms)} ms`);
  }
  const unloaded = { lifecycleMs: percentiles(baseline.map((b) => b.ms)), calls: arm.timings.of('baseline') };
  const stateTransitions = await arm.stateTransitions(baseline[0].proposalId);
  const slo = 2 * unloaded.lifecycleMs.p95;

  const steps: StepResult[] = [];
  let done = plan.baseline * baselineSeconds;
  for (const rate of plan.rates) {
    const step = await runStep(arm, rate, plan, slo, (elapsed, status) => progress(done + Math.min(elapsed, plan.stepSeconds), status));
    done += plan.stepSeconds;
    steps.push(step);
    errors.push(...step.broke.filter((b) => b.startsWith('error')));
    progress(done, `${rate}/min: ${step.held ? 'held' : `broke (${step.broke.join('; ')})`}, ${step.throughputPerMin}/min`);
    if (!step.held) break;
  }
  const held = steps.filter((s) => s.held);
  const best = held.length ? held[held.length - 1] : undefined;
  return {
    plan,
    unloaded,
    sloLifecycleP95Ms: Math.round(slo),
    sustainedPerMin: best?.throughputPerMin ?? 0,
    sustainedStep: best?.offeredPerMin ?? null,
    steps,
    stateTransitions,
    errors,
  };
}

async function runStep(arm: ArmDriver, rate: number, plan: LoadPlan, slo: number, progress: Progress): Promise<StepResult> {
  const phase = `step-${rate}`;
  arm.timings.enter(phase);
  const started = performance.now();
  const end = started + plan.stepSeconds * 1000;
  const finished: Lifecycle[] = [];
  const runs: Promise<void>[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const status = () => `${rate}/min: ${runs.length} filed, ${inFlight} in flight, ${finished.length} done`;
  // Fixed intervals: every step offers exactly its rate, so both arms and repeated runs see the same arrivals.
  for (let next = started; next < end; next += 60_000 / rate) {
    await sleep(next - performance.now());
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    runs.push(
      arm.lifecycle().then((run) => {
        inFlight -= 1;
        finished.push(run);
      }),
    );
    progress((performance.now() - started) / 1000, status());
  }
  await sleep(end - performance.now());
  const drained = await Promise.race([Promise.all(runs).then(() => true), sleep(plan.graceSeconds * 1000).then(() => false)]);
  const ok = finished.filter((f) => f.ok);
  const failed = finished.filter((f) => !f.ok);
  // Completions of the step's arrivals per minute of arrivals; a backlog still running counts the grace period too.
  const windowMs = (plan.stepSeconds + (drained ? 0 : plan.graceSeconds)) * 1000;
  const lifecycleMs = percentiles(ok.map((f) => f.ms));
  const broke = [
    ...(failed.length ? [`error: ${failed.length} failed (${failed[0].error})`] : []),
    ...(drained ? [] : [`backlog of ${inFlight} not drained ${plan.graceSeconds} s after arrivals stopped`]),
    ...(lifecycleMs.p95 > slo ? [`p95 lifecycle ${Math.round(lifecycleMs.p95)} ms over ${Math.round(slo)} ms`] : []),
  ];
  return {
    offeredPerMin: rate,
    arrivals: runs.length,
    completed: ok.length,
    failed: failed.length,
    drained,
    throughputPerMin: Math.round((ok.length / (windowMs / 60_000)) * 10) / 10,
    maxInFlight,
    lifecycleMs,
    held: broke.length === 0,
    broke,
    calls: arm.timings.of(phase),
  };
}

/** Sum of Temporal's stateTransitionCount over a proposal's workflow and the task workflows it ran. */
export async function countStateTransitions(client: Client, proposalId: string, taskIds: readonly string[]): Promise<StateTransitions> {
  const count = async (workflowId: string) =>
    Number((await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.stateTransitionCount ?? 0);
  const proposal = await count(proposalWorkflowId(proposalId));
  const tasks = (await Promise.all(taskIds.map((id) => count(taskWorkflowId(id))))).reduce((a, b) => a + b, 0);
  return { proposal, tasks, taskWorkflows: taskIds.length, total: proposal + tasks };
}

/**
 * Lifecycles in flight through one SDK client: each ends when its proposal workflow closes, or, once
 * `stop` is called, at once (a long poll left pending would retry on the closed connection).
 */
export class Lifecycles {
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<Lifecycle>>();

  constructor(private readonly client: Client) {}

  /** Runs `file` (which files the proposal and answers its id), then waits for the workflow's end. */
  run(file: () => Promise<string>): Promise<Lifecycle> {
    const started = performance.now();
    let proposalId = '';
    const run = (async (): Promise<Lifecycle> => {
      try {
        proposalId = await file();
        const handle = this.client.workflow.getHandle(proposalWorkflowId(proposalId));
        const state = (await this.client.withAbortSignal(this.abort.signal, () => handle.result())) as ProposalWorkflowState;
        const ms = performance.now() - started;
        return state.status === 'COMPLETED' ? { proposalId, ms, ok: true } : { proposalId, ms, ok: false, error: `ended ${state.status}` };
      } catch (error) {
        return { proposalId, ms: performance.now() - started, ok: false, error: String(error) };
      }
    })();
    this.running.add(run);
    void run.then(() => this.running.delete(run));
    return run;
  }

  /** Gives up on every lifecycle still running. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.running);
  }
}
