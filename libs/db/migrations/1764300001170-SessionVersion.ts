import { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-user session version: tokens carry the version they were issued under; revoking sessions bumps it. */
export class SessionVersion1764300001170 implements MigrationInterface {
  name = 'SessionVersion1764300001170';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user ADD COLUMN session_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE app_user DROP COLUMN session_version`);
  }
}
