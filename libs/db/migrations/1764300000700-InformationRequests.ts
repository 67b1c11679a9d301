import { MigrationInterface, QueryRunner } from 'typeorm';

/** A reviewer's questions to the applicant; while one is open its task's SLA clock is stopped. */
export class InformationRequests1764300000700 implements MigrationInterface {
  name = 'InformationRequests1764300000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE information_request (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        task_id uuid NOT NULL REFERENCES task(id),
        agency text NOT NULL,
        question text NOT NULL,
        asked_by text NOT NULL,
        asked_at timestamptz NOT NULL DEFAULT now(),
        answer text,
        answered_by text,
        answered_at timestamptz,
        paused_ms bigint
      )`);
    await q.query(`CREATE INDEX idx_information_request_proposal ON information_request (proposal_id, asked_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE information_request`);
  }
}
