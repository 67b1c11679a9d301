import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottleHit, ThrottleRepository } from '../../../../libs/db';

/**
 * @nestjs/throttler's storage in PostgreSQL (throttle_counter), so that every API replica counts
 * against one limit per client rather than each its own. One upsert per hit; at most once per
 * `sweepEveryMs` a hit also starts (without waiting for it) the delete of rows whose window has ended.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttler');
  private lastSweep = Date.now();

  constructor(
    private readonly counters: ThrottleRepository,
    private readonly sweepEveryMs: number,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottleHit> {
    if (Date.now() - this.lastSweep >= this.sweepEveryMs) {
      this.lastSweep = Date.now();
      this.counters.evictExpired().catch((error: Error) => this.logger.warn(`Expired rate-limit counters not deleted: ${error.message}`));
    }
    return this.counters.hit(key, ttl, limit, blockDuration);
  }
}
