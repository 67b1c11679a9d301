import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AuditService } from '../audit';
import { AppConfig, APP_CONFIG } from '../config';

export const ACCESS_DENIED_AGGREGATE = 'ACCESS_DENIED_AGGREGATE';
/** Beyond this many distinct clients in one window, further ones share one bucket (memory stays bounded). */
const MAX_CLIENTS = 10_000;
const OTHER_CLIENTS = 'other';

interface Bucket {
  count: number;
  firstAt: Date;
  lastAt: Date;
  reasons: Record<string, number>;
  routes: Record<string, number>;
}

/**
 * docs/spec.md section 4: requests denied for want of a valid token are recorded in aggregate, one
 * audit event per client address and window with the count, so a flood cannot grow the trail. Counts
 * live in memory per process; each flush swaps in a fresh map first (denials arriving meanwhile go to
 * the next window) and puts a bucket back if its event could not be written, so none is lost.
 */
@Injectable()
export class DenialAggregate implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(DenialAggregate.name);
  private buckets = new Map<string, Bucket>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.auth.denialAuditWindowMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  count(client: string, reason: string, route: string): void {
    const key = this.buckets.has(client) || this.buckets.size < MAX_CLIENTS ? client : OTHER_CLIENTS;
    const now = new Date();
    const bucket = this.buckets.get(key) ?? { count: 0, firstAt: now, lastAt: now, reasons: {}, routes: {} };
    bucket.count += 1;
    bucket.lastAt = now;
    bucket.reasons[reason] = (bucket.reasons[reason] ?? 0) + 1;
    route = route.slice(0, 200);
    if (route in bucket.routes || Object.keys(bucket.routes).length < 20) bucket.routes[route] = (bucket.routes[route] ?? 0) + 1;
    this.buckets.set(key, bucket);
  }

  /** Writes one event per client of the window that just ended; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const ended = this.buckets;
    this.buckets = new Map();
    for (const [client, bucket] of ended) {
      try {
        await this.audit.record({
          actor: 'anonymous',
          action: ACCESS_DENIED_AGGREGATE,
          subjectType: 'client',
          subjectId: client,
          reason: `${bucket.count} request(s) without a valid bearer token`,
          after: {
            count: bucket.count,
            from: bucket.firstAt.toISOString(),
            to: bucket.lastAt.toISOString(),
            reasons: bucket.reasons,
            routes: bucket.routes,
          },
        });
      } catch (error) {
        this.logger.warn(`Could not record ${bucket.count} denials of ${client}; retrying next window: ${(error as Error).message}`);
        this.merge(client, bucket);
      }
    }
  }

  private merge(client: string, bucket: Bucket): void {
    const current = this.buckets.get(client);
    if (!current) {
      this.buckets.set(client, bucket);
      return;
    }
    current.count += bucket.count;
    current.firstAt = bucket.firstAt;
    for (const [reason, n] of Object.entries(bucket.reasons)) current.reasons[reason] = (current.reasons[reason] ?? 0) + n;
    for (const [route, n] of Object.entries(bucket.routes)) current.routes[route] = (current.routes[route] ?? 0) + n;
  }
}
