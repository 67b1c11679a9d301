import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-user secret calendar feeds of the program milestones: calendar clients send no bearer token,
 * so the feed URL carries a random secret. Only its SHA-256 is kept (a leaked table yields no URL),
 * and at most one feed per user is active; revoked rows stay as the record of rotations.
 */
export class CalendarFeeds1764300001900 implements MigrationInterface {
  name = 'CalendarFeeds1764300001900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE calendar_feed (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES app_user(id),
        secret_hash char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX idx_calendar_feed_active_user ON calendar_feed (user_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_feed`);
  }
}
