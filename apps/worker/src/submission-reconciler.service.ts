import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { ProposalRepository } from '../../../libs/db';
import { startProposalWorkflow } from '../../../libs/temporal';

/** A submission older than this still SUBMITTED has lost its workflow start (Temporal was unreachable). */
const STALLED_AFTER_MS = 15_000;
const SWEEP_EVERY_MS = 10_000;

/**
 * Reconciles the read model with Temporal: every stored submission gets its workflow, even when
 * the API could not start it at the time (docs/spec.md section 8, "a reconciliation check").
 */
@Injectable()
export class SubmissionReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SubmissionReconciler.name);
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly proposals: ProposalRepository,
    private readonly temporal: Client,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    }, SWEEP_EVERY_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  async sweep(): Promise<void> {
    try {
      for (const id of await this.proposals.stalledSubmissions(STALLED_AFTER_MS)) {
        if ((await startProposalWorkflow(this.temporal, id)) === 'started')
          this.logger.warn(`Started the missing workflow of proposal ${id}`);
      }
    } catch (error) {
      this.logger.error(`Submission reconciliation failed: ${String(error)}`);
    }
  }
}
