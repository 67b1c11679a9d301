import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { ScreeningRecordRepository } from '../../../libs/db';
import { startRescreenWorkflow } from '../../../libs/temporal';

const SWEEP_EVERY_MS = 30_000;

/**
 * Starts the re-screening batch of the active list version when none has run to its end
 * (docs/spec.md section 2.4a): the import starts it itself, but an import made while Temporal was
 * unreachable leaves it to this sweep, at the worker's boot and then periodically. A batch that has
 * finished is never started again, even once Temporal has forgotten its workflow id.
 */
@Injectable()
export class RescreenStarter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RescreenStarter.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly records: ScreeningRecordRepository,
    private readonly temporal: Client,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    };
    sweep();
    this.timer = setInterval(sweep, SWEEP_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  async sweep(): Promise<void> {
    try {
      const listVersionId = await this.records.activeUnfinished();
      if (listVersionId && (await startRescreenWorkflow(this.temporal, listVersionId)) === 'started')
        this.logger.log(`Started the re-screening of list version ${listVersionId}`);
    } catch (error) {
      this.logger.error(`Starting the re-screening failed: ${String(error)}`);
    }
  }
}
