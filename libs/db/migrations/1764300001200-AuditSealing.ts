import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain moves off the write path (docs/architecture.md, "Audit sealing"): appends become
 * plain inserts without a hash, and a single sealer later links committed events into audit_chain
 * and signs audit_checkpoint rows with a key the database never sees. Both tables are append-only
 * like audit_event. Events chained inline before this migration are sealed here, in id order, with
 * the hashes they already carry, so the old chain stays verifiable as the first segment.
 */
export class AuditSealing1764300001200 implements MigrationInterface {
  name = 'AuditSealing1764300001200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_event ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`
      CREATE TABLE audit_chain (
        position bigint PRIMARY KEY CHECK (position > 0),
        event_id bigint NOT NULL UNIQUE REFERENCES audit_event (id),
        prev_hash text NOT NULL,
        hash text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE audit_checkpoint (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        last_position bigint NOT NULL UNIQUE REFERENCES audit_chain (position),
        head_hash text NOT NULL,
        signed_at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION audit_seal_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'The audit chain and its checkpoints are only ever extended by the sealer.';
      END
      $$`);
    for (const table of ['audit_chain', 'audit_checkpoint'])
      await q.query(`
        CREATE TRIGGER ${table}_append_only
          BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_reject_change()`);
    await q.query(`
      INSERT INTO audit_chain (position, event_id, prev_hash, hash)
      SELECT row_number() OVER (ORDER BY id), id, prev_hash, hash FROM audit_event ORDER BY id`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Events recorded since carry no inline hash; restoring NOT NULL would need rewriting them,
    // which an append-only trail must not do, so the revert stops instead of forging hashes.
    const [{ unchained }] = (await q.query(`SELECT count(*)::int AS unchained FROM audit_event WHERE hash IS NULL`)) as {
      unchained: number;
    }[];
    if (unchained > 0) throw new Error(`cannot revert AuditSealing: ${unchained} audit events have no inline hash`);
    await q.query(`DROP TABLE audit_checkpoint`);
    await q.query(`DROP TABLE audit_chain`);
    await q.query(`DROP FUNCTION audit_seal_reject_change()`);
    await q.query(`ALTER TABLE audit_event ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
  }
}
