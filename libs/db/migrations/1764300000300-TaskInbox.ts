import { MigrationInterface, QueryRunner } from 'typeorm';

/** The task inbox (docs/spec.md section 3), indexed for the inbox query: an agency's open tasks of given types. */
export class TaskInbox1764300000300 implements MigrationInterface {
  name = 'TaskInbox1764300000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE task (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        type text NOT NULL,
        agency text NOT NULL,
        status text NOT NULL,
        assignee text,
        form jsonb NOT NULL DEFAULT '{}',
        due_at timestamptz NOT NULL,
        reminder_at timestamptz NOT NULL,
        reminded_at timestamptz,
        escalated boolean NOT NULL DEFAULT false,
        decision text,
        comment text,
        conditions jsonb NOT NULL DEFAULT '[]',
        data jsonb NOT NULL DEFAULT '{}',
        completed_by text,
        completed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_task_inbox ON task (agency, status, type, created_at)`);
    await q.query(`CREATE INDEX idx_task_proposal ON task (proposal_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE task`);
  }
}
