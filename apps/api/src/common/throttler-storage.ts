import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottleHit, ThrottleRepository } from '../../../../libs/db';

const MAX_BLOCKED = 10_000;

/**
 * @nestjs/throttler's storage in PostgreSQL (throttle_counter), so that every API replica counts
 * against one limit per client rather than each its own: one upsert per hit. A block, once seen, is
 * remembered here until it ends (nothing shortens a block), so a client flooding past its limit
 * costs no database round trip. At most once per `sweepEveryMs` a hit also starts, without waiting
 * for it, the delete of rows whose window and block have ended.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('Throttler');
  private readonly blocked = new Map<string, { until: number; totalHits: number }>();
  private lastSweep = Date.now();

  constructor(
    private readonly counters: ThrottleRepository,
    private readonly sweepEveryMs: number,
  ) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottleHit> {
    const now = Date.now();
    const block = this.blocked.get(key);
    if (block && block.until > now) {
      const timeToBlockExpire = Math.ceil((block.until - now) / 1000);
      return { totalHits: block.totalHits, timeToExpire: timeToBlockExpire, isBlocked: true, timeToBlockExpire };
    }
    if (block) this.blocked.delete(key);
    if (now - this.lastSweep >= this.sweepEveryMs) {
      this.lastSweep = now;
      this.counters.evictExpired().catch((error: Error) => this.logger.warn(`Expired rate-limit counters not deleted: ${error.message}`));
    }
    const hit = await this.counters.hit(key, ttl, limit, blockDuration);
    if (hit.isBlocked) {
      if (this.blocked.size >= MAX_BLOCKED) this.blocked.clear();
      // Whole seconds, rounded up: the local copy ends with the shared block or up to a second after it.
      this.blocked.set(key, { until: now + hit.timeToBlockExpire * 1000, totalHits: hit.totalHits });
    }
    return hit;
  }
}
