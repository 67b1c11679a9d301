import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DefaultLogger, LogLevel, NativeConnection, Runtime, Worker, WorkerOptions } from '@temporalio/worker';
import { PinoLogger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BenefitsActivities } from '../../../activities/benefits/benefits.activities';
import { FinancingActivities } from '../../../activities/financing/financing.activities';
import { IntakeActivities } from '../../../activities/intake/intake.activities';
import { ProgramActivities } from '../../../activities/program/program.activities';
import { SbaActivities } from '../../../activities/sba/sba.activities';
import { RescreenActivities } from '../../../activities/screening/rescreen.activities';
import { ScreeningActivities } from '../../../activities/screening/screening.activities';
import { TaskActivities } from '../../../activities/tasks/task.activities';
import { AppConfig, APP_CONFIG } from '../../../libs/config';
import { FINANCING_TASK_QUEUE } from '../../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE } from '../../../libs/contracts/intake';
import { PROGRAM_TASK_QUEUE } from '../../../libs/contracts/program';
import { TASKS_TASK_QUEUE } from '../../../libs/contracts/tasks';
import { ensureSearchAttributes, temporalConnectionOptions } from '../../../libs/temporal/connection';
import { workerTracing } from '../../../libs/temporal/tracing';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../../libs/temporal/workflow-bundle';

/** Prebuilt by `npm run build` (scripts/bundle-workflows); absent in development, where the Worker bundles from source. */
export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', '..', 'workflow-bundle.js');

/** The SDK's threshold for LOG_LEVEL, so it does not build entries pino would drop. */
const SDK_LOG_LEVEL: Partial<Record<string, LogLevel>> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};
const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** How long the other Workers may drain when one has failed, before the process exits anyway. */
const FAIL_FAST_DRAIN_MS = 10_000;
/** How often the Workers' states are checked for one that has FAILED. */
const STATE_CHECK_MS = 1_000;

/**
 * Hosts one Temporal Worker per bounded context's task queue for the process's lifetime; drains
 * in-flight tasks on shutdown. A Worker that stops on its own (its run() fails) ends the process
 * with exit code 1, so that the supervisor restarts it instead of leaving a process polling nothing.
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerService.name);
  private connection?: NativeConnection;
  private workers: Worker[] = [];
  private running?: Promise<unknown>;
  private stopping = false;
  private failing = false;
  private stateCheck?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly pino: PinoLogger,
    private readonly intake: IntakeActivities,
    private readonly screening: ScreeningActivities,
    private readonly rescreen: RescreenActivities,
    private readonly tasks: TaskActivities,
    private readonly financing: FinancingActivities,
    private readonly sba: SbaActivities,
    private readonly program: ProgramActivities,
    private readonly benefits: BenefitsActivities,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { metricsAddress } = this.config.temporal;
    // The Runtime is per process and fixed at first use, so this precedes the connection. Its exporter
    // serves the SDK's own series (`temporal_*`: slots, polls, task latencies) at http://<address>/metrics.
    // Its logger makes the SDK's lines (Worker states; each activity's start, and its end with the
    // activity's trace ids) JSON lines among the worker's own.
    Runtime.install({
      logger: new DefaultLogger(SDK_LOG_LEVEL[this.config.logLevel] ?? 'INFO', ({ level, message, meta }) =>
        this.pino[PINO_LEVEL[level]](meta ?? {}, message),
      ),
      ...(metricsAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsAddress } } } } : {}),
    });
    this.connection = await NativeConnection.connect(temporalConnectionOptions(this.config.temporal));
    // Idempotent; lets a fresh cluster (docker-compose, a new namespace) list workflows by stage.
    await ensureSearchAttributes(this.connection, this.config.temporal.namespace);
    const tracing = workerTracing();
    const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors'> = existsSync(WORKFLOW_BUNDLE_PATH)
      ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
      : {
          workflowsPath: require.resolve('../../../workflows'),
          // A prebuilt bundle has them already (libs/temporal/workflow-bundle.ts).
          interceptors: { ...tracing.interceptors, workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
        };
    // Financing runs inside the proposal workflow: its queue carries activities only, so its Worker
    // loads no workflow code (one sandbox fewer, and no idle workflow-task pollers).
    const contexts = [
      {
        taskQueue: INTAKE_TASK_QUEUE,
        hostsWorkflows: true,
        activities: { ...this.intake.build(), ...this.screening.build(), ...this.rescreen.build() },
      },
      { taskQueue: TASKS_TASK_QUEUE, hostsWorkflows: true, activities: this.tasks.build() },
      {
        taskQueue: FINANCING_TASK_QUEUE,
        hostsWorkflows: false,
        activities: { ...this.financing.build(), ...this.sba.build(), ...this.benefits.build() },
      },
      { taskQueue: PROGRAM_TASK_QUEUE, hostsWorkflows: true, activities: this.program.build() },
    ];
    this.workers = await Promise.all(
      contexts.map(({ taskQueue, hostsWorkflows, activities }) =>
        Worker.create({
          connection: this.connection,
          namespace: this.config.temporal.namespace,
          taskQueue,
          ...tracing,
          // On shutdown (a deploy's drain), activities still running after this are cancelled.
          shutdownGraceTime: this.config.temporal.shutdownGraceMs,
          ...(hostsWorkflows ? { ...workflows, maxCachedWorkflows: this.config.temporal.maxCachedWorkflows } : {}),
          activities,
        }),
      ),
    );
    const runs = this.workers.map((worker) => worker.run());
    this.running = Promise.all(runs);
    this.running.catch((error: unknown) => this.failFast(error, runs));
    // A FAILED Worker's run() does not always settle (seen with SDK 1.24 when the cluster refuses every
    // call: all four Workers FAILED, no run() rejected), so the states are watched as well.
    this.stateCheck = setInterval(() => {
      const failed = this.workers.find((worker) => worker.getState() === 'FAILED');
      if (failed) void this.failFast(new Error(`the Worker of task queue ${failed.options.taskQueue} has FAILED`), runs);
    }, STATE_CHECK_MS);
    this.logger.log(
      `Workers polling ${contexts.map((c) => c.taskQueue).join(', ')} on ${this.config.temporal.address}/${this.config.temporal.namespace}`,
    );
  }

  /** Logs, lets the other Workers drain for a bounded time, then exits non-zero. */
  private async failFast(error: unknown, runs: Promise<void>[]): Promise<void> {
    if (this.stopping || this.failing) return;
    this.failing = true;
    clearInterval(this.stateCheck);
    this.logger.error(`Worker stopped: ${String(error)}; exiting with code 1 for the supervisor to restart the worker`);
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.race([Promise.allSettled(runs), new Promise((resolve) => setTimeout(resolve, FAIL_FAST_DRAIN_MS))]);
    process.exit(1);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.stateCheck);
    for (const worker of this.workers) if (worker.getState() === 'RUNNING') worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
