import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposal (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        status text NOT NULL,
        submission jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_proposal_status ON proposal (status)`);
    await q.query(`
      CREATE TABLE proposal_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        event_key text NOT NULL,
        at timestamptz NOT NULL,
        action text NOT NULL,
        actor text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_proposal_event_key ON proposal_event (proposal_id, event_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE proposal_event`);
    await q.query(`DROP TABLE proposal`);
  }
}
