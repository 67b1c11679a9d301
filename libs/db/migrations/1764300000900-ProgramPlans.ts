import { MigrationInterface, QueryRunner } from 'typeorm';

/** Program establishment plans and their milestones (EO 14320 sec. 3(a), docs/spec.md section 2.5). */
export class ProgramPlans1764300000900 implements MigrationInterface {
  name = 'ProgramPlans1764300000900';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE program (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        start_date date NOT NULL,
        deadline_days int NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE milestone (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES program(id),
        key text NOT NULL,
        position int NOT NULL,
        title text NOT NULL,
        owner_agency text NOT NULL,
        due_day int NOT NULL,
        eo_ref text,
        depends_on text[] NOT NULL DEFAULT '{}',
        reminded_at timestamptz,
        overdue_at timestamptz,
        completed_at timestamptz,
        completed_by text,
        evidence jsonb,
        UNIQUE (program_id, key)
      )`);
    await q.query(`ALTER TABLE notification ALTER COLUMN proposal_id DROP NOT NULL, ADD COLUMN program_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP COLUMN program_id`);
    await q.query(`DROP TABLE milestone`);
    await q.query(`DROP TABLE program`);
  }
}
