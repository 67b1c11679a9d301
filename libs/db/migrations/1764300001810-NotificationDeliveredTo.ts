import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whom each sent notification reached (the users its role and agency, or its named user, stood for
 * when it was sent): an escalation that reached no one is visible, not silent (issue 13).
 */
export class NotificationDeliveredTo1764300001810 implements MigrationInterface {
  name = 'NotificationDeliveredTo1764300001810';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN delivered_to text[]`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP COLUMN delivered_to`);
  }
}
