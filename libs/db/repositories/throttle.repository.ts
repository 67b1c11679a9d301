import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { change, select } from '../sql';

/** One client's count under one throttler after a hit, as @nestjs/throttler's storage reports it (seconds rounded up). */
export interface ThrottleHit {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

// Evaluated against the row as it was before this hit (PostgreSQL's ON CONFLICT … DO UPDATE SET).
const BLOCKED = 'c.blocked_until > now()';
/** The hit joins the open window: the window has not ended and no block has ended in it. */
const COUNTING = 'c.window_ends_at > now() AND c.blocked_until IS NULL';
const HITS = `CASE WHEN ${BLOCKED} THEN c.hits WHEN ${COUNTING} THEN c.hits + 1 ELSE 1 END`;
const NEW_WINDOW_END = `now() + $2::float8 * interval '1 millisecond'`;
const WINDOW_END = `CASE WHEN ${BLOCKED} OR (${COUNTING}) THEN c.window_ends_at ELSE ${NEW_WINDOW_END} END`;
/** A block lasts blockDuration ($4), or to the window's end when there is none. */
const BLOCK_END = (windowEnd: string) =>
  `CASE WHEN $4::float8 > 0 THEN now() + $4::float8 * interval '1 millisecond' ELSE ${windowEnd} END`;

/**
 * Whole seconds left until `end`, at least 1. Measured on clock_timestamp(), not now(): now() is when
 * this statement began, and a hit that waited on the row's lock began before the hit that set `end`
 * from its own later now(), so `end - now()` could exceed the full window or block.
 */
const SECONDS_LEFT = (end: string) => `greatest(1, ceil(extract(epoch FROM ${end} - clock_timestamp())))::int`;

/**
 * The only door to throttle_counter: fixed windows counted in one atomic upsert per hit, on the
 * database's clock, so that every API replica counts against the same limit.
 */
@Injectable()
export class ThrottleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Counts a hit on `key` (window `ttlMs`, limit `limit`); the hit past the limit blocks the key for
   * `blockMs`, and a blocked key's hits are not counted. After a window or a block ends, the next hit
   * opens a new window.
   */
  async hit(key: string, ttlMs: number, limit: number, blockMs: number): Promise<ThrottleHit> {
    const [row] = await select<ThrottleHit>(
      this.db,
      `INSERT INTO throttle_counter AS c (key, hits, window_ends_at, blocked_until)
       VALUES ($1, 1, ${NEW_WINDOW_END}, CASE WHEN 1 > $3::int THEN ${BLOCK_END(NEW_WINDOW_END)} END)
       ON CONFLICT (key) DO UPDATE SET
         hits = ${HITS},
         window_ends_at = ${WINDOW_END},
         blocked_until = CASE WHEN ${BLOCKED} THEN c.blocked_until WHEN ${HITS} > $3::int THEN ${BLOCK_END(WINDOW_END)} END
       RETURNING hits AS "totalHits",
         ${SECONDS_LEFT('window_ends_at')} AS "timeToExpire",
         coalesce(blocked_until > now(), false) AS "isBlocked",
         CASE WHEN blocked_until > now() THEN ${SECONDS_LEFT('blocked_until')} ELSE 0 END AS "timeToBlockExpire"`,
      [key, ttlMs, limit, blockMs],
    );
    return row;
  }

  /** Deletes the rows whose window and block have both ended (an index range, however many clients). */
  async evictExpired(): Promise<number> {
    const { count } = await change(this.db, `DELETE FROM throttle_counter WHERE GREATEST(window_ends_at, blocked_until) < now()`);
    return count;
  }
}
