import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The proposal's status remembers the workflow step that set it (a late step never moves it
 * backwards); the notification outbox gets leases, per-row backoff and a dead-letter state.
 */
export class OutboxLeasesAndStatusSteps1764300001100 implements MigrationInterface {
  name = 'OutboxLeasesAndStatusSteps1764300001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal ADD COLUMN status_step int NOT NULL DEFAULT 0`);
    await q.query(`
      ALTER TABLE notification
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN claimed_until timestamptz,
        ADD COLUMN dead_at timestamptz`);
    await q.query(`DROP INDEX idx_notification_unsent`);
    await q.query(`CREATE INDEX idx_notification_due ON notification (next_attempt_at, id) WHERE sent_at IS NULL AND dead_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_notification_due`);
    await q.query(`CREATE INDEX idx_notification_unsent ON notification (id) WHERE sent_at IS NULL`);
    await q.query(`ALTER TABLE notification DROP COLUMN next_attempt_at, DROP COLUMN claimed_until, DROP COLUMN dead_at`);
    await q.query(`ALTER TABLE proposal DROP COLUMN status_step`);
  }
}
