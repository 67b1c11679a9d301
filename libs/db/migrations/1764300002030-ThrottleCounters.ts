import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API replica (@nestjs/throttler's storage, one row per
 * throttler and client). UNLOGGED: a counter is worth no WAL (a crash or a failover only resets the windows), and
 * the fillfactor leaves room for HOT updates, since nearly every request updates its row.
 * The index on the later of the window's end and the block's end serves the delete of expired rows.
 */
export class ThrottleCounters1764300002030 implements MigrationInterface {
  name = 'ThrottleCounters1764300002030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE throttle_counter (
        key text PRIMARY KEY,
        hits integer NOT NULL,
        window_ends_at timestamptz NOT NULL,
        blocked_until timestamptz
      ) WITH (fillfactor = 70)`);
    await q.query(`CREATE INDEX idx_throttle_counter_evict ON throttle_counter (GREATEST(window_ends_at, blocked_until))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE throttle_counter`);
  }
}
