import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash-chained audit trail (docs/spec.md section 4). A statement-level trigger makes the table
 * append-only for every role, the owner included, so even an UPDATE or DELETE that matches no
 * row fails loudly. The unique prev_hash index makes a fork of the chain impossible to commit.
 */
export class AuditTrail1764300000100 implements MigrationInterface {
  name = 'AuditTrail1764300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        role text,
        agency text,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text,
        before jsonb,
        after jsonb,
        reason text,
        request_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`CREATE INDEX idx_audit_event_subject ON audit_event (subject_type, subject_id)`);
    await q.query(`CREATE INDEX idx_audit_event_at ON audit_event (at)`);
    await q.query(`CREATE UNIQUE INDEX uq_audit_event_prev_hash ON audit_event (prev_hash)`);
    await q.query(`
      CREATE FUNCTION audit_event_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'Audit events are never changed or removed; record a new event instead.';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_event_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_event
        FOR EACH STATEMENT EXECUTE FUNCTION audit_event_reject_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_event`);
    await q.query(`DROP FUNCTION audit_event_reject_change()`);
  }
}
