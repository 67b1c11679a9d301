import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AUDIT_VERIFYING_KEYS, AuditSealer, loadSealingKey, SEAL_LOOKBACK_MS, VerifyingKeys } from '../../../libs/audit';
import { AppConfig, APP_CONFIG } from '../../../libs/config';
import { AuditRepository } from '../../../libs/db';

/** How often a tick sweeps the whole trail instead (also the first tick after start). */
const FULL_SWEEP_EVERY_MS = 10 * 60_000;

/** Runs the audit sealer every AUDIT_SEAL_INTERVAL_MS; each worker tries, the database lock lets one seal. */
@Injectable()
export class AuditSealerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditSealer');
  private readonly sealer: AuditSealer;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private lastFullSweep = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    repository: AuditRepository,
    @Inject(AUDIT_VERIFYING_KEYS) verifyingKeys: VerifyingKeys,
  ) {
    // Loaded at start so a missing or wrong key (or one verifiers do not hold) stops the worker
    // instead of leaving the trail unsealed.
    this.sealer = new AuditSealer(repository, loadSealingKey(config), verifyingKeys);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sealer
        .sealAll(this.window())
        .catch((error: unknown) => this.logger.error(`Audit sealing failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.config.audit.sealIntervalMs);
  }

  /** Undefined (the whole trail) when a full sweep is due, else the start of the lookback window. */
  private window(): Date | undefined {
    const now = Date.now();
    if (now - this.lastFullSweep < FULL_SWEEP_EVERY_MS) return new Date(now - SEAL_LOOKBACK_MS);
    this.lastFullSweep = now;
    return undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
