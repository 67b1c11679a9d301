import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every submitted and amended version of a proposal, kept as the applicant sent it (docs/spec.md
 * section 2.4b); before, an amendment overwrote the submission. Proposals never amended keep their
 * submission as version 1; the earlier versions of amended ones were overwritten and cannot be
 * recovered, so their history starts with the next amendment.
 */
export class ProposalVersions1764300001500 implements MigrationInterface {
  name = 'ProposalVersions1764300001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposal_version (
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        version int NOT NULL CHECK (version >= 1),
        submitted_at timestamptz NOT NULL,
        submitted_by text NOT NULL,
        body jsonb NOT NULL,
        PRIMARY KEY (proposal_id, version)
      )`);
    await q.query(`
      INSERT INTO proposal_version (proposal_id, version, submitted_at, submitted_by, body)
      SELECT id, 1, created_at, submitted_by, submission FROM proposal WHERE version = 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE proposal_version`);
  }
}
