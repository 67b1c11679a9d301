import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What designation brings (docs/spec.md section 2.3a): each benefit referral's outcome on the
 * proposal, and the catalogue's filters. Those are containment tests on the submission
 * (`submission @> '{"targetMarkets": ["KE"]}'`), which one jsonb_path_ops index answers for
 * target market, sector and layer alike.
 */
export class DesignationBenefits1764300001700 implements MigrationInterface {
  name = 'DesignationBenefits1764300001700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal ADD COLUMN benefits jsonb NOT NULL DEFAULT '{"advocacy": null, "licensing": null}'`);
    await q.query(`CREATE INDEX idx_proposal_submission ON proposal USING gin (submission jsonb_path_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_proposal_submission`);
    await q.query(`ALTER TABLE proposal DROP COLUMN benefits`);
  }
}
