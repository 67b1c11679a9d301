import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notification outbox: written in the same transaction as the event it announces (so a
 * notification exists exactly when its event does, once per event key) and sent by the notifier.
 */
export class NotificationOutbox1764300000600 implements MigrationInterface {
  name = 'NotificationOutbox1764300000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_key text NOT NULL UNIQUE,
        kind text NOT NULL,
        proposal_id uuid NOT NULL,
        task_id uuid,
        recipient_role text,
        recipient_agency text,
        recipient_username text,
        subject text NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`CREATE INDEX idx_notification_unsent ON notification (id) WHERE sent_at IS NULL`);
    await q.query(`ALTER TABLE app_user ADD COLUMN email text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN email`);
    await q.query(`DROP TABLE notification`);
  }
}
