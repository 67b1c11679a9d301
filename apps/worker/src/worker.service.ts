import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { IntakeActivities } from '../../../activities/intake/intake.activities';
import { INTAKE_TASK_QUEUE } from '../../../libs/contracts/intake';
import { AppConfig, APP_CONFIG } from '../../../libs/config';
import { ensureSearchAttributes } from '../../../libs/temporal/connection';

/** Prebuilt by `npm run build` (scripts/bundle-workflows); absent in development, where the Worker bundles from source. */
export const WORKFLOW_BUNDLE_PATH = join(__dirname, '..', '..', '..', 'workflow-bundle.js');

/** Hosts the Temporal Worker for the process's lifetime; drains in-flight tasks on shutdown. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerService.name);
  private connection?: NativeConnection;
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: IntakeActivities,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = await NativeConnection.connect({ address: this.config.temporal.address });
    // Idempotent; lets a fresh cluster (docker-compose, a new namespace) list workflows by stage.
    await ensureSearchAttributes(this.connection, this.config.temporal.namespace);
    const workflows: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = existsSync(WORKFLOW_BUNDLE_PATH)
      ? { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }
      : { workflowsPath: require.resolve('../../../workflows') };
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.temporal.namespace,
      taskQueue: INTAKE_TASK_QUEUE,
      ...workflows,
      activities: this.intake.build(),
    });
    this.running = this.worker.run();
    this.running.catch((error: unknown) => this.logger.error(`Worker stopped: ${String(error)}`));
    this.logger.log(`Worker polling ${INTAKE_TASK_QUEUE} on ${this.config.temporal.address}/${this.config.temporal.namespace}`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}
