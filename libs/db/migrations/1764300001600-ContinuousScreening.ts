import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Continuous screening (docs/spec.md section 2.4a): every screening a proposal had, with the list
 * version it used (intake screenings and re-screenings alike); each list version's re-screening
 * progress; and the revocation of a designation whose package was found on a list.
 */
export class ContinuousScreening1764300001600 implements MigrationInterface {
  name = 'ContinuousScreening1764300001600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposal_screening (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id) ON DELETE CASCADE,
        list_id uuid NOT NULL REFERENCES screening_list(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('INTAKE', 'RESCREEN')),
        submission_version int NOT NULL,
        status text NOT NULL,
        matches jsonb NOT NULL DEFAULT '[]',
        new_matches jsonb NOT NULL DEFAULT '[]',
        decision text,
        decided_by text,
        decided_at timestamptz,
        task_id uuid,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    // Idempotent writes: one intake screening per submission version and list, one re-screening per list.
    await q.query(
      `CREATE UNIQUE INDEX uq_proposal_screening_intake ON proposal_screening (proposal_id, list_id, submission_version) WHERE kind = 'INTAKE'`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_proposal_screening_rescreen ON proposal_screening (list_id, proposal_id) WHERE kind = 'RESCREEN'`,
    );
    await q.query(`CREATE INDEX idx_proposal_screening_proposal ON proposal_screening (proposal_id, at)`);
    // The screenings recorded so far, one per proposal (its latest), so that no history starts empty.
    await q.query(`
      INSERT INTO proposal_screening (proposal_id, list_id, kind, submission_version, status, matches, at)
      SELECT p.id, l.id, 'INTAKE', p.version,
             CASE WHEN jsonb_array_length(COALESCE(p.screening -> 'matches', '[]')) > 0 THEN 'POTENTIAL_MATCH' ELSE 'CLEAR' END,
             COALESCE(p.screening -> 'matches', '[]'),
             COALESCE((SELECT max(e.at) FROM proposal_event e WHERE e.proposal_id = p.id AND e.action = 'SCREENED'), p.updated_at)
        FROM proposal p JOIN screening_list l ON l.id::text = p.screening #>> '{listVersion,id}'`);
    await q.query(`
      CREATE TABLE screening_rescreen (
        list_id uuid PRIMARY KEY REFERENCES screening_list(id) ON DELETE CASCADE,
        total int NOT NULL,
        done int NOT NULL DEFAULT 0,
        new_matches int NOT NULL DEFAULT 0,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`ALTER TABLE proposal ADD COLUMN designation_revocation jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal DROP COLUMN designation_revocation`);
    await q.query(`DROP TABLE screening_rescreen`);
    await q.query(`DROP TABLE proposal_screening`);
  }
}
