import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An adjudication task shows each matched entry of the list version it was screened against (issue
 * 14): entries are looked up by (list, entry id). The composite index also serves the list-only
 * lookups the single-column index served, so it replaces it.
 */
export class ScreeningEntryLookup1764300001820 implements MigrationInterface {
  name = 'ScreeningEntryLookup1764300001820';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_screening_entry_list_entry ON screening_entry (list_id, entry_id)`);
    await q.query(`DROP INDEX idx_screening_entry_list`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_screening_entry_list ON screening_entry (list_id)`);
    await q.query(`DROP INDEX idx_screening_entry_list_entry`);
  }
}
