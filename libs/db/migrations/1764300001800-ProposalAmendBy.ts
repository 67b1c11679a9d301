import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The amend-by date becomes a field of the proposal (docs/spec.md section 7) instead of only text in
 * its timeline; proposals returned for information before this migration take it from their latest
 * RETURNED_FOR_INFORMATION event ("... amend by <ISO instant>").
 */
export class ProposalAmendBy1764300001800 implements MigrationInterface {
  name = 'ProposalAmendBy1764300001800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal ADD COLUMN amend_by timestamptz`);
    await q.query(`
      UPDATE proposal p SET amend_by = latest.amend_by::timestamptz
        FROM (SELECT DISTINCT ON (proposal_id) proposal_id,
                     substring(detail->>'reason' FROM 'amend by (\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,3})?Z)') AS amend_by
                FROM proposal_event WHERE action = 'STATUS_RETURNED_FOR_INFORMATION'
               ORDER BY proposal_id, at DESC, id DESC) latest
       WHERE p.id = latest.proposal_id AND p.status = 'RETURNED_FOR_INFORMATION' AND latest.amend_by IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal DROP COLUMN amend_by`);
  }
}
