import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Screening lists (versioned CSL imports) and the intake results projected onto each proposal:
 * deficiencies, eligibility, flags, party screening, submission version and idempotency key.
 */
export class ScreeningAndIntake1764300000400 implements MigrationInterface {
  name = 'ScreeningAndIntake1764300000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE screening_list (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source text NOT NULL,
        checksum text NOT NULL,
        entry_count int NOT NULL DEFAULT 0,
        imported_at timestamptz NOT NULL DEFAULT now(),
        active boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_screening_list_active ON screening_list (active) WHERE active`);
    await q.query(`
      CREATE TABLE screening_entry (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        list_id uuid NOT NULL REFERENCES screening_list(id) ON DELETE CASCADE,
        entry_id text NOT NULL,
        source text NOT NULL,
        type text NOT NULL DEFAULT '',
        name text NOT NULL,
        alt_names text[] NOT NULL DEFAULT '{}',
        programs text[] NOT NULL DEFAULT '{}',
        countries text[] NOT NULL DEFAULT '{}',
        remarks text
      )`);
    await q.query(`CREATE INDEX idx_screening_entry_list ON screening_entry (list_id)`);
    await q.query(`
      ALTER TABLE proposal
        ADD COLUMN version int NOT NULL DEFAULT 1,
        ADD COLUMN deficiencies jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN eligibility jsonb NOT NULL DEFAULT '{"eligible": null, "reasons": []}',
        ADD COLUMN flags jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN screening jsonb NOT NULL DEFAULT '{"status": "PENDING", "matches": []}',
        ADD COLUMN idempotency_key text,
        ADD COLUMN request_digest text`);
    await q.query(
      `CREATE UNIQUE INDEX uq_proposal_idempotency ON proposal (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(`CREATE INDEX idx_proposal_target_markets ON proposal USING gin ((submission -> 'targetMarkets'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_proposal_target_markets`);
    await q.query(`DROP INDEX uq_proposal_idempotency`);
    await q.query(
      `ALTER TABLE proposal DROP COLUMN version, DROP COLUMN deficiencies, DROP COLUMN eligibility, DROP COLUMN flags, DROP COLUMN screening, DROP COLUMN idempotency_key, DROP COLUMN request_digest`,
    );
    await q.query(`DROP TABLE screening_entry`);
    await q.query(`DROP TABLE screening_list`);
  }
}
