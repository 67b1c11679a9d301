import { Client } from 'pg';

/** The audit chain's state inside a snapshot: `npm run audit:verify` on its restore must report at least this much sealed. */
export interface AuditHead {
  lastEventId: string | null;
  sealedPosition: string | null;
  sealedEventId: string | null;
  sealedHash: string | null;
  lastCheckpointId: string | null;
}

/** An exported snapshot that pg_dump can read with `--snapshot=<id>` while this stays open. */
export interface BackupSnapshot {
  id: string;
  database: string;
  serverVersion: string;
  serverVersionNum: number;
  audit: AuditHead;
  /** Ends the exporting transaction: only after pg_dump has finished. */
  close(): Promise<void>;
}

/**
 * Opens a read-only repeatable-read transaction, exports its snapshot and reads the audit head in
 * it, so a dump taken with the snapshot holds exactly the events the head describes (scripts/backup.ts).
 */
export async function openBackupSnapshot(databaseUrl: string): Promise<BackupSnapshot> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await db.query<{ id: string; database: string; version: string; num: string }>(
      `SELECT pg_export_snapshot() AS id, current_database() AS database, current_setting('server_version') AS version,
              current_setting('server_version_num') AS num`,
    );
    const audit = await db.query<AuditHead>(`
      SELECT (SELECT max(id)::text FROM audit_event) AS "lastEventId",
             c.position::text AS "sealedPosition", c.event_id::text AS "sealedEventId", c.hash AS "sealedHash",
             (SELECT max(id)::text FROM audit_checkpoint) AS "lastCheckpointId"
        FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM audit_chain ORDER BY position DESC LIMIT 1) c ON true`);
    return {
      id: rows[0].id,
      database: rows[0].database,
      serverVersion: rows[0].version,
      serverVersionNum: Number(rows[0].num),
      audit: audit.rows[0],
      close: async () => {
        await db.query('COMMIT').finally(() => db.end());
      },
    };
  } catch (error) {
    await db.end();
    throw error;
  }
}
