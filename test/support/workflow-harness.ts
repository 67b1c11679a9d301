import { Client, WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker, WorkflowBundleOption } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { BenefitsActivityFunctions } from '../../activities/benefits/benefits.activities';
import type { FinancingActivityFunctions, FinancingPlan } from '../../activities/financing/financing.activities';
import type { IntakeActivityFunctions } from '../../activities/intake/intake.activities';
import type { ProgramActivityFunctions } from '../../activities/program/program.activities';
import type { SbaActivityFunctions, SbaSizing } from '../../activities/sba/sba.activities';
import type { ScreeningActivityFunctions, ScreeningSummary } from '../../activities/screening/screening.activities';
import type { TaskActivityFunctions } from '../../activities/tasks/task.activities';
import slaTable from '../../data/task-slas.json';
import { FINANCING_TASK_QUEUE } from '../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE, proposalWorkflowId } from '../../libs/contracts/intake';
import { PlanMilestone, PROGRAM_TASK_QUEUE } from '../../libs/contracts/program';
import { SEARCH_ATTRIBUTES } from '../../libs/contracts/search-attributes';
import {
  completeTaskUpdate,
  CompleteTaskRequest,
  HumanTaskInput,
  TaskActor,
  TaskOutcome,
  TASKS_TASK_QUEUE,
  taskWorkflowId,
} from '../../libs/contracts/tasks';
import type { Agency, Role } from '../../libs/domain/identity/roles';
import { planDate } from '../../libs/domain/program/plan';
import { TASK_TYPES, TaskType } from '../../libs/domain/tasks/task-types';
import { temporalBinary } from '../../scripts/lib/services';
import { REVIEWS } from '../../libs/domain/review/reviews';
import { workerTracing } from '../../libs/temporal/tracing';
import type { proposalWorkflow } from '../../workflows/intake/proposal.workflow';
import type { humanTaskWorkflow } from '../../workflows/tasks/human-task.workflow';
import { workflowBundle } from './workflow-bundle';

/**
 * The workflow test tier (test/workflows): the real workflows/ bundle in real Workers on a local
 * Temporal dev server (the provisioned CLI binary, started by @temporalio/testing), with STUB
 * activities that record every call and answer from per-test scenarios. No API, no database.
 */

export interface ActivityCall {
  name: string;
  input: any;
  /** Wall-clock time (ms) when the stub ran. */
  at: number;
  /** What the stub answered, for calls whose answer the test needs (openTask's deadlines). */
  result?: unknown;
}

/** Default SLA of a stubbed task: far beyond any test, so no reminder or escalation unless a test asks. */
const HOUR_MS = 3_600_000;

/** A test's task clock: due `dueInMs` after opening; the reminder at the SLA table's fraction of it. */
export interface TaskClock {
  dueInMs: number;
  /** Overrides the table's reminder fraction (REVIEW_REMINDER_AT is 0.8 by default). */
  reminderFraction?: number;
}

export interface ProposalScenario {
  /** Screening results in order; the last one repeats. */
  screenings: ScreeningSummary[];
  financing?: FinancingPlan;
  /** Clock per opened task (default one hour). */
  clock?: (input: HumanTaskInput) => TaskClock | undefined;
  /** storeAmendment waits for it (to test what runs while an amendment is being stored). */
  amendmentGate?: Promise<void>;
  /** The proposal's license-review flags: with any, designation opens a LICENSING_REVIEW too. */
  licenseReviewFlags?: { code: string; message: string }[];
  /** SBA's "needs information" loop: who is asked, how long a request stays open, and each answer's sizing. */
  sizeInformation?: { members: { name: string; missing: string[] }[]; openForMs?: number; sized: SbaSizing[] };
}

export interface PlanScenario {
  startDate: string;
  milestones: (Omit<PlanMilestone, 'dueDate' | 'done' | 'reminded' | 'overdue'> & { dueDay: number } & Partial<
      Pick<PlanMilestone, 'done' | 'reminded' | 'overdue'>
    >)[];
  /** loadPlan waits for it (to test Updates that arrive before the plan is loaded). */
  loadGate?: Promise<void>;
}

/** What the program stub "database" holds for one plan. */
interface StoredPlan {
  startDate: string;
  milestones: (PlanMilestone & { dueDay: number })[];
  loadGate?: Promise<void>;
}

export const clean = (overrides: Partial<ScreeningSummary> = {}): ScreeningSummary => ({
  deficiencies: [],
  amendBy: new Date(Date.now() + HOUR_MS).toISOString(),
  eligible: true,
  ineligibilityReasons: [],
  possibleMatches: 0,
  matches: [],
  ...overrides,
});

/** An actor of `role` at `agency` (usernames like the demo users'). */
export const actor = (
  role: Role,
  agency: Agency | null,
  username = `${(agency ?? 'x').toLowerCase()}.${role.toLowerCase()}`,
): TaskActor => ({ username, roles: [role], agency });

/** The actor a task type's inbox belongs to: its first role at the task's agency. */
export const actorFor = (input: Pick<HumanTaskInput, 'type' | 'agency'>): TaskActor => actor(TASK_TYPES[input.type].roles[0], input.agency);

export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

export function deadlinesFor(type: TaskType, clock: TaskClock, openedAt = Date.now()) {
  const row = slaTable.slas[type];
  const fraction = clock.reminderFraction ?? (row.reminderAt === 'REVIEW_REMINDER_AT' ? 0.8 : Number(row.reminderAt));
  return {
    dueAt: new Date(openedAt + clock.dueInMs).toISOString(),
    reminderAt: new Date(openedAt + fraction * clock.dueInMs).toISOString(),
    onBreach: row.onBreach as 'ESCALATE' | 'LAPSE',
  };
}

/** Polls `probe` until it answers something truthy (a value, or a promise of one). */
export async function eventually<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Quiets the SDK's logging (Worker state changes; core's warnings about tasks of runs a test
 * terminated) to errors. The Runtime is per process: install it once, before the first Worker.
 */
function quietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
    });
  } catch {
    // Already installed by an earlier spec file in this Jest worker.
  }
}

export interface OpenedTask {
  taskId: string;
  input: HumanTaskInput;
  handle: WorkflowHandle<typeof humanTaskWorkflow>;
}

export class WorkflowHarness {
  readonly calls: ActivityCall[] = [];
  readonly proposals = new Map<string, ProposalScenario>();
  /** Clocks of tasks started directly (test/workflows/tasks), by taskId. */
  readonly taskClocks = new Map<string, TaskClock>();
  private readonly plans = new Map<string, StoredPlan>();
  private readonly screened = new Map<string, number>();

  private workers: Worker[] = [];
  private running: Promise<unknown> = Promise.resolve();

  private constructor(readonly env: TestWorkflowEnvironment) {}

  get client(): Client {
    return this.env.client;
  }

  /** A dev server for this spec file and one Worker per task queue given, all on the stub activities. */
  static async start(taskQueues: string[], options: { workflowBundle?: WorkflowBundleOption } = {}): Promise<WorkflowHarness> {
    quietRuntime();
    const [env, bundle] = await Promise.all([
      TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: temporalBinary() },
          // Registered at start-up: the workflows upsert ExportsStage and ExportsPendingAgencies.
          searchAttributes: SEARCH_ATTRIBUTES,
          ip: '127.0.0.1',
          log: { format: 'pretty', level: 'error' },
        },
      }),
      options.workflowBundle ?? workflowBundle(),
    ]);
    const harness = new WorkflowHarness(env);
    const activities = harness.stubsByQueue();
    harness.workers = await Promise.all(
      taskQueues.map((taskQueue) =>
        Worker.create({
          connection: env.nativeConnection,
          taskQueue,
          workflowBundle: bundle,
          ...workerTracing(),
          activities: activities[taskQueue],
        }),
      ),
    );
    harness.running = Promise.all(harness.workers.map((w) => w.run()));
    return harness;
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await this.running.catch(() => undefined);
    await this.env.teardown();
  }

  // ---- recorded calls ----

  record(name: string, input: unknown, result?: unknown): void {
    this.calls.push({ name, input, at: Date.now(), result });
  }

  callsOf(name: string, where: (input: any) => boolean = () => true): ActivityCall[] {
    return this.calls.filter((c) => c.name === name && where(c.input));
  }

  /** recordStatus statuses of a proposal, in order. */
  statuses(proposalId: string): string[] {
    return this.callsOf('recordStatus', (i) => i.proposalId === proposalId).map((c) => c.input.status);
  }

  /** recordSlaEvent events of a task, in order. */
  slaEvents(taskId: string): string[] {
    return this.callsOf('recordSlaEvent', (i) => i.taskId === taskId).map((c) => c.input.event);
  }

  async waitForCall(name: string, where: (input: any) => boolean, count = 1, timeoutMs = 15_000): Promise<ActivityCall[]> {
    return eventually(
      `${count} ${name} call(s)`,
      () => {
        const found = this.callsOf(name, where);
        return found.length >= count && found;
      },
      timeoutMs,
    );
  }

  async waitForStatus(proposalId: string, status: string, timeoutMs = 15_000): Promise<void> {
    await eventually(
      `proposal ${proposalId} in ${status} (seen ${this.statuses(proposalId).join(' > ')})`,
      () => this.statuses(proposalId).includes(status),
      timeoutMs,
    );
  }

  // ---- human tasks ----

  /** The `nth` (0-based) task of this type (and agency) opened for the proposal, once its child workflow runs. */
  async openedTask(proposalId: string, type: TaskType, agency?: Agency, nth = 0, timeoutMs = 15_000): Promise<OpenedTask> {
    const calls = await eventually(
      `${type}${agency ? ` at ${agency}` : ''} #${nth + 1} opened for ${proposalId}`,
      () => {
        const found = this.callsOf(
          'openTask',
          (i: HumanTaskInput) => i.proposalId === proposalId && i.type === type && (!agency || i.agency === agency),
        );
        return found.length > nth && found;
      },
      timeoutMs,
    );
    const input = calls[nth].input as HumanTaskInput;
    return { taskId: input.taskId, input, handle: this.client.workflow.getHandle<typeof humanTaskWorkflow>(taskWorkflowId(input.taskId)) };
  }

  /** Completes a task through its real Update, as the inbox owner unless another actor is given. */
  complete(task: OpenedTask, completion: Omit<CompleteTaskRequest, 'actor'>, by: TaskActor = actorFor(task.input)): Promise<TaskOutcome> {
    return task.handle.executeUpdate(completeTaskUpdate, { args: [{ ...completion, actor: by }] });
  }

  // ---- proposals ----

  /** Starts proposalWorkflow (`proposal:<id>` on the intake queue) for a new proposal answering from `scenario`. */
  async startProposal(scenario: ProposalScenario): Promise<{ proposalId: string; handle: WorkflowHandle<typeof proposalWorkflow> }> {
    const proposalId = newId();
    this.proposals.set(proposalId, scenario);
    const handle = await this.client.workflow.start<typeof proposalWorkflow>('proposalWorkflow', {
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: proposalWorkflowId(proposalId),
      args: [{ proposalId }],
    });
    return { proposalId, handle };
  }

  /** The five reviews and consultations of a proposal under review, once all are open. */
  async reviewTasks(proposalId: string): Promise<OpenedTask[]> {
    return Promise.all(REVIEWS.map(({ agency, type }) => this.openedTask(proposalId, type, agency)));
  }

  /** Every review and consultation concurs, then Commerce designates: the proposal moves to FINANCING. */
  async designate(proposalId: string): Promise<void> {
    for (const task of await this.reviewTasks(proposalId)) await this.complete(task, { decision: 'CONCUR' });
    await this.complete(await this.openedTask(proposalId, 'DESIGNATION_DECISION'), { decision: 'DESIGNATE' });
    await this.waitForStatus(proposalId, 'FINANCING');
  }

  /** ITA declines the advocacy referral designation opened (with its comment), so that only financing keeps the proposal open. */
  async declineAdvocacy(proposalId: string): Promise<void> {
    await this.complete(await this.openedTask(proposalId, 'ADVOCACY_REFERRAL', 'ITA'), {
      decision: 'DECLINE',
      comment: 'No tender in view',
    });
  }

  // ---- program plans (the stub "database") ----

  /** Stores a plan for loadPlan; due dates are `startDate + dueDay` as the real activity computes them. */
  storePlan(programId: string, scenario: PlanScenario): void {
    this.plans.set(programId, {
      startDate: scenario.startDate,
      loadGate: scenario.loadGate,
      milestones: scenario.milestones.map((m) => ({
        done: false,
        reminded: false,
        overdue: false,
        ...m,
        dueDate: planDate(scenario.startDate, m.dueDay),
      })),
    });
  }

  storedPlan(programId: string): StoredPlan {
    const plan = this.plans.get(programId);
    if (!plan) throw new Error(`No stub plan ${programId}`);
    return plan;
  }

  // ---- the stubs ----

  private stubsByQueue(): Record<string, object> {
    const intake: IntakeActivityFunctions & ScreeningActivityFunctions = {
      recordStatus: async (change) => this.record('recordStatus', change),
      storeAmendment: async (request) => {
        await this.proposals.get(request.proposalId)?.amendmentGate;
        this.record('storeAmendment', request); // recorded when stored
      },
      recordAdjudication: async (request) => this.record('recordAdjudication', request),
      screenProposal: async (request) => {
        const scenario = this.scenario(request.proposalId);
        const n = this.screened.get(request.proposalId) ?? 0;
        this.screened.set(request.proposalId, n + 1);
        const result = scenario.screenings[Math.min(n, scenario.screenings.length - 1)];
        this.record('screenProposal', request, result);
        return result;
      },
    };
    const tasks: TaskActivityFunctions = {
      openTask: async (input) => {
        const clock = this.taskClocks.get(input.taskId) ?? this.proposals.get(input.proposalId)?.clock?.(input) ?? { dueInMs: HOUR_MS };
        const deadlines = deadlinesFor(input.type, clock);
        this.record('openTask', input, deadlines);
        return deadlines;
      },
      recordAssignment: async (change) => this.record('recordAssignment', change),
      recordReassignment: async (change) => this.record('recordReassignment', change),
      recordCompletion: async (change) => this.record('recordCompletion', change),
      recordSlaEvent: async (change) => this.record('recordSlaEvent', change),
      deliverTask: async (request) => this.record('deliverTask', request),
      recordInformationRequest: async (request) => this.record('recordInformationRequest', request),
      recordInformationAnswer: async (answer) => this.record('recordInformationAnswer', answer),
    };
    const financing: FinancingActivityFunctions & SbaActivityFunctions = {
      prepareFinancing: async (proposalId) => {
        this.record('prepareFinancing', proposalId);
        const plan = this.scenario(proposalId).financing;
        if (!plan) throw new Error(`No financing plan in the scenario of ${proposalId}`);
        return plan;
      },
      openReferrals: async (request) => this.record('openReferrals', request),
      recordReferralOutcome: async (outcome) => this.record('recordReferralOutcome', outcome),
      recordSbaOutcome: async (outcome) => this.record('recordSbaOutcome', outcome),
      requestSizeInformation: async (request) => {
        const loop = this.sizeInformation(request.proposalId);
        const opened = { ...request, members: loop.members, dueAt: new Date(Date.now() + (loop.openForMs ?? HOUR_MS)).toISOString() };
        this.record('requestSizeInformation', request, opened);
        return opened;
      },
      recordSizeInformation: async (answer) => {
        const answered = this.callsOf('recordSizeInformation', (i) => i.proposalId === answer.proposalId).length;
        const { sized } = this.sizeInformation(answer.proposalId);
        const result = sized[Math.min(answered, sized.length - 1)];
        this.record('recordSizeInformation', answer, result);
        return result;
      },
      lapseSizeInformation: async (request) => this.record('lapseSizeInformation', request),
    };
    const benefits: BenefitsActivityFunctions = {
      openBenefitReferrals: async (request) => {
        const flags = this.scenario(request.proposalId).licenseReviewFlags ?? [];
        const referrals = [
          { benefit: 'advocacy' as const, taskId: request.advocacyTaskId, form: { documents: [] } },
          ...(flags.length ? [{ benefit: 'licensing' as const, taskId: request.licensingTaskId, form: { flags } }] : []),
        ];
        this.record('openBenefitReferrals', request, referrals);
        return referrals;
      },
      recordBenefitOutcome: async (outcome) => this.record('recordBenefitOutcome', outcome),
    };
    const program: ProgramActivityFunctions = {
      loadPlan: async (programId) => {
        this.record('loadPlan', programId);
        const plan = this.storedPlan(programId);
        await plan.loadGate;
        return plan.milestones.map(({ dueDay: _dueDay, ...m }) => ({ ...m, dependsOn: [...m.dependsOn] }));
      },
      recordMilestoneEvent: async (event) => {
        this.record('recordMilestoneEvent', event);
        const m = this.milestone(event.programId, event.milestoneId);
        if (event.kind === 'REMINDER') m.reminded = true;
        else m.overdue = true;
      },
      recordCompletion: async (request) => {
        this.record('recordMilestoneCompletion', request);
        this.milestone(request.programId, request.milestoneId).done = true;
      },
      recordRebaseline: async (request) => {
        this.record('recordRebaseline', request);
        const m = this.milestone(request.programId, request.milestoneId);
        if (m.dueDay !== request.dueDay) {
          const dueDate = planDate(this.storedPlan(request.programId).startDate, request.dueDay);
          Object.assign(m, { dueDay: request.dueDay, dueDate, reminded: false, overdue: false });
        }
        return { dueDate: m.dueDate };
      },
    };
    return {
      [INTAKE_TASK_QUEUE]: intake,
      [TASKS_TASK_QUEUE]: tasks,
      [FINANCING_TASK_QUEUE]: { ...financing, ...benefits },
      [PROGRAM_TASK_QUEUE]: program,
    };
  }

  private scenario(proposalId: string): ProposalScenario {
    const scenario = this.proposals.get(proposalId);
    if (!scenario) throw new Error(`No scenario for proposal ${proposalId}`);
    return scenario;
  }

  private sizeInformation(proposalId: string): NonNullable<ProposalScenario['sizeInformation']> {
    const loop = this.scenario(proposalId).sizeInformation;
    if (!loop) throw new Error(`No sizeInformation in the scenario of ${proposalId}`);
    return loop;
  }

  private milestone(programId: string, milestoneId: string) {
    const m = this.storedPlan(programId).milestones.find((x) => x.id === milestoneId);
    if (!m) throw new Error(`No milestone ${milestoneId} in ${programId}`);
    return m;
  }
}

export const newId = (): string => randomUUID();
