import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signatures of accepted agency callbacks (a replayed callback is refused), and the evidence each
 * recorded position or decision was taken on: a copy and its digest.
 */
export class AgencyCallbacks1764300000500 implements MigrationInterface {
  name = 'AgencyCallbacks1764300000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agency_callback (
        signature text PRIMARY KEY,
        agency text NOT NULL,
        task_id uuid NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE task ADD COLUMN evidence jsonb, ADD COLUMN evidence_digest text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE task DROP COLUMN evidence, DROP COLUMN evidence_digest`);
    await q.query(`DROP TABLE agency_callback`);
  }
}
