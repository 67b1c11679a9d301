import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files attached to a proposal (docs/spec.md section 7): the metadata here, the bytes in the document
 * store under `storage_key`. `uploader_organisation` is set for an applicant's upload and null for
 * staff's (what the applicant may see). Answers to information requests cite documents by id.
 */
export class Documents1764300001510 implements MigrationInterface {
  name = 'Documents1764300001510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        name text NOT NULL,
        media_type text NOT NULL,
        size int NOT NULL CHECK (size >= 0),
        sha256 char(64) NOT NULL,
        storage_key text NOT NULL UNIQUE,
        uploaded_by text NOT NULL,
        uploader_organisation text,
        uploader_agency text,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_document_proposal ON document (proposal_id, uploaded_at)`);
    await q.query(`ALTER TABLE information_request ADD COLUMN document_ids jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE information_request DROP COLUMN document_ids`);
    await q.query(`DROP TABLE document`);
  }
}
