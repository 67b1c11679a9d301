import { MigrationInterface, QueryRunner } from 'typeorm';

/** Calls for proposals of a plan (EO 14320 sec. 3(b)-(c)); at most one governs intake at a time. */
export class CallsForProposals1764300001000 implements MigrationInterface {
  name = 'CallsForProposals1764300001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE call_for_proposals (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES program(id),
        title text NOT NULL,
        open_date date NOT NULL,
        close_date date NOT NULL,
        governs_intake boolean NOT NULL DEFAULT false,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_call_governing ON call_for_proposals (governs_intake) WHERE governs_intake`);
    await q.query(`ALTER TABLE proposal ADD COLUMN call_id uuid REFERENCES call_for_proposals(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal DROP COLUMN call_id`);
    await q.query(`DROP TABLE call_for_proposals`);
  }
}
