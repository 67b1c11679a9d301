import { MigrationInterface, QueryRunner } from 'typeorm';

/** Users (docs/spec.md section 1) and who owns each proposal (an applicant sees only its organisation's). */
export class UsersAndOwnership1764300000200 implements MigrationInterface {
  name = 'UsersAndOwnership1764300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        display_name text NOT NULL,
        organisation text,
        agency text,
        roles text[] NOT NULL,
        password_hash text NOT NULL,
        disabled boolean NOT NULL DEFAULT false,
        failed_logins int NOT NULL DEFAULT 0,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE proposal ADD COLUMN organisation text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE proposal ADD COLUMN submitted_by text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE proposal ALTER COLUMN organisation DROP DEFAULT, ALTER COLUMN submitted_by DROP DEFAULT`);
    await q.query(`CREATE INDEX idx_proposal_organisation ON proposal (organisation, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_proposal_organisation`);
    await q.query(`ALTER TABLE proposal DROP COLUMN submitted_by, DROP COLUMN organisation`);
    await q.query(`DROP TABLE app_user`);
  }
}
