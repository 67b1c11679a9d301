import { MigrationInterface, QueryRunner } from 'typeorm';

/** EDAG financing referrals (one per assigned instrument) and the SBA referral of each proposal (EO 14320 sec. 4). */
export class FinancingAndSba1764300000800 implements MigrationInterface {
  name = 'FinancingAndSba1764300000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE financing_referral (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        instrument_id text NOT NULL,
        agency text NOT NULL,
        amount_requested numeric,
        amount_assigned numeric,
        amount_committed numeric,
        status text NOT NULL,
        terms text,
        comment text,
        decided_by text,
        decided_at timestamptz,
        target_markets text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_financing_referral_proposal ON financing_referral (proposal_id, created_at)`);
    await q.query(`ALTER TABLE proposal ADD COLUMN sba_referral jsonb NOT NULL DEFAULT '{"status": "NOT_APPLICABLE", "members": []}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal DROP COLUMN sba_referral`);
    await q.query(`DROP TABLE financing_referral`);
  }
}
