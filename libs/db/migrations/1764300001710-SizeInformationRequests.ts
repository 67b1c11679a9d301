import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SBA's "needs information" loop (docs/spec.md section 2.4): a request to the applicant that no
 * agency task asked (`task_id` NULL, `kind` SBA_SIZE) and that is answered with structured data
 * (the members' NAICS code, employees or receipts); it lapses at `due_at` (AMENDMENT_WINDOW).
 */
export class SizeInformationRequests1764300001710 implements MigrationInterface {
  name = 'SizeInformationRequests1764300001710';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE information_request ALTER COLUMN task_id DROP NOT NULL`);
    await q.query(`ALTER TABLE information_request ADD COLUMN kind text NOT NULL DEFAULT 'AGENCY_TASK'`);
    await q.query(`ALTER TABLE information_request ADD COLUMN asked jsonb`);
    await q.query(`ALTER TABLE information_request ADD COLUMN answer_data jsonb`);
    await q.query(`ALTER TABLE information_request ADD COLUMN due_at timestamptz`);
    await q.query(`ALTER TABLE information_request ADD COLUMN lapsed_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM information_request WHERE task_id IS NULL`);
    await q.query(
      `ALTER TABLE information_request DROP COLUMN lapsed_at, DROP COLUMN due_at, DROP COLUMN answer_data, DROP COLUMN asked, DROP COLUMN kind`,
    );
    await q.query(`ALTER TABLE information_request ALTER COLUMN task_id SET NOT NULL`);
  }
}
