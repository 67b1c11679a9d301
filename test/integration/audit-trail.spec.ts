import { execFile } from 'node:child_process';
import { Client } from 'pg';
import {
  AuditChainRow,
  AuditEventInput,
  AuditSealer,
  AuditService,
  GENESIS_HASH,
  hashEvent,
  keyIdOf,
  loadSealingKey,
  loadVerifyingKeys,
  SEAL_LOOKBACK_MS,
} from '../../libs/audit';
import { loadConfig } from '../../libs/config';
import { projectPath } from '../../libs/config/paths';
import { Database, ensureDatabase, openDatabase, Transaction } from '../../libs/db';
import { adminUrl, databaseUrlNamed } from '../support/databases';

function runVerifyCli(databaseUrl: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [projectPath('dist/scripts/audit-verify.js')],
      { env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_URL: databaseUrl } },
      (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
    );
  });
}

const event = (n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput => ({
  actor: 'commerce.reviewer',
  role: 'REVIEWER',
  agency: 'COMMERCE',
  action: 'TASK_COMPLETED',
  subjectType: 'task',
  subjectId: `task-${n}`,
  before: { status: 'CLAIMED', n },
  after: { status: 'COMPLETED', decision: { position: 'CONCUR', conditions: [`condition ${n}`] } },
  requestId: `req-${n}`,
  ...overrides,
});

/** What a routine sealing pass (and GET /metrics) looks at for late commits. */
const lateSince = () => new Date(Date.now() - SEAL_LOOKBACK_MS);

/** The key the verify CLI (same checkout, no key configured) will find: the data dir's. */
const config = loadConfig({ NODE_ENV: 'test' });
const sealingKey = loadSealingKey(config);
const verifyingKeys = loadVerifyingKeys(config);

async function dropDatabase(name: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
}

describe('audit trail on PostgreSQL (library only, no HTTP)', () => {
  const dbName = `exports_audit_test_${Date.now()}`;
  const databaseUrl = databaseUrlNamed(dbName);
  let db: Database;
  /** A second process's connection pool, appending and sealing alongside the first. */
  let other: Database;
  let audit: AuditService;
  let sealer: AuditSealer;
  /** A plain connection of the table owner: the oracle, and the way around the library. */
  let oracle: Client;
  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> => (await oracle.query(text, params)).rows as T[];

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    other = await openDatabase(databaseUrl);
    audit = new AuditService(db.audit, verifyingKeys);
    sealer = new AuditSealer(db.audit, sealingKey, verifyingKeys, 7); // small batches, so a run takes several
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
  });

  afterAll(async () => {
    await oracle?.end();
    await other?.close();
    await db?.close();
    await dropDatabase(dbName);
  });

  it('seals 50 concurrent appends from two connections exactly once, at contiguous positions, while two sealers race', async () => {
    const otherAudit = new AuditService(other.audit, verifyingKeys);
    const otherSealer = new AuditSealer(other.audit, sealingKey, verifyingKeys, 5);
    let appending = true;
    const sealing = (s: AuditSealer) =>
      (async () => {
        let sealed = 0;
        while (appending) sealed += await s.sealAll();
        return sealed;
      })();
    const sealers = [sealing(sealer), sealing(otherSealer)];
    const recorded = await Promise.all(Array.from({ length: 50 }, (_, n) => (n % 2 ? otherAudit : audit).record(event(n))));
    appending = false;
    const sealedDuring = (await Promise.all(sealers)).reduce((a, b) => a + b, 0);
    const sealedAfter = await sealer.sealAll();
    expect(sealedDuring + sealedAfter).toBe(50);

    const [chain] = await sql<{ links: number; events: number; first: string; last: string }>(
      'SELECT count(*)::int AS links, count(DISTINCT event_id)::int AS events, min(position)::text AS first, max(position)::text AS last FROM audit_chain',
    );
    expect(chain).toEqual({ links: 50, events: 50, first: '1', last: '50' });
    const sealedIds = await sql<{ id: string }>('SELECT event_id::text AS id FROM audit_chain ORDER BY event_id');
    expect(sealedIds.map((r) => r.id)).toEqual(recorded.map((e) => e.id).sort((a, b) => Number(a) - Number(b)));
    const [{ n: checkpoints }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_checkpoint');
    expect(await audit.verify()).toEqual({
      valid: true,
      events: 50,
      sealed: 50,
      pending: 0,
      lagSeconds: 0,
      checkpoints,
      checkpointsByKey: { [keyIdOf(sealingKey)]: checkpoints },
      lastCheckpointAt: expect.any(String),
      unsealedGaps: 0,
    });
    expect(checkpoints).toBeGreaterThanOrEqual(8); // batches of at most 7
  });

  it('reports unsealed events as pending, with their lag, until the sealer has run', async () => {
    await audit.record(event(60));
    await new Promise((r) => setTimeout(r, 50));
    const waiting = await audit.verify();
    expect(waiting).toMatchObject({ valid: true, events: 51, sealed: 50, pending: 1 });
    expect(waiting.lagSeconds).toBeGreaterThanOrEqual(0.04);
    // GET /metrics' cheaper reading of the same backlog.
    const backlog = await db.audit.sealerBacklog(lateSince());
    expect(backlog.pending).toBe(1);
    expect(backlog.lagSeconds).toBeGreaterThanOrEqual(waiting.lagSeconds);
    expect(await sealer.sealAll()).toBe(1);
    expect(await audit.verify()).toMatchObject({ valid: true, events: 51, sealed: 51, pending: 0, lagSeconds: 0 });
    expect(await db.audit.sealerBacklog(lateSince())).toEqual({ pending: 0, lagSeconds: 0 });
  });

  it('stores what it was given and returns it as a view', async () => {
    const view = await audit.record({
      actor: 'admin',
      action: 'LOGIN',
      subjectType: 'user',
      subjectId: 'admin',
      before: ['locked', 3],
      after: { at: new Date('2026-01-05T00:00:00Z'), skipped: undefined },
    });
    expect(view).toEqual(
      expect.objectContaining({
        actor: 'admin',
        role: null,
        agency: null,
        before: ['locked', 3],
        after: { at: '2026-01-05T00:00:00.000Z' },
        reason: null,
        requestId: null,
      }),
    );
    await audit.record({ actor: 'admin', action: 'NOTE', subjectType: 'program', after: 'a bare string' });
    expect(await audit.verify()).toMatchObject({ valid: true, events: 53 });
    expect(view.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const page = await audit.list({ subjectType: 'user', subjectId: 'admin', page: 1, pageSize: 10 });
    expect(page).toEqual({ items: [view], total: 1, page: 1, pageSize: 10 });
  });

  it('lists newest first with filters and pages', async () => {
    const page = await audit.list({ action: 'TASK_COMPLETED', page: 2, pageSize: 20 });
    expect(page.total).toBe(51);
    expect(page.items).toHaveLength(20);
    const ids = page.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect((await audit.list({ actor: 'nobody', page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("writes inside the caller's transaction: rolled back with it, committed with it", async () => {
    const before = await audit.verify();
    await expect(
      db.unitOfWork.run(async (tx) => {
        await audit.record(event(100), tx);
        throw new Error('caller fails');
      }),
    ).rejects.toThrow('caller fails');
    expect(await audit.list({ subjectType: 'task', subjectId: 'task-100', page: 1, pageSize: 10 })).toMatchObject({ total: 0 });

    await db.unitOfWork.run(async (tx) => {
      await audit.record(event(101), tx);
      await audit.record(event(102), tx);
    });
    expect(await audit.verify()).toMatchObject({ valid: true, events: before.events + 2 });
  });

  it('refuses a transaction handle that is not in an active transaction', async () => {
    const before = await audit.verify();
    // A handle kept past the end of its unit of work: its transaction has committed.
    let leaked: Transaction | undefined;
    await db.unitOfWork.run(async (tx) => {
      leaked = tx;
    });
    await expect(audit.record(event(103), leaked)).rejects.toThrow(/active transaction/);
    // A handle UnitOfWork.run never made.
    await expect(audit.record(event(104), {} as Transaction)).rejects.toThrow(/active transaction/);
    expect(await audit.verify()).toMatchObject({ valid: true, events: before.events, pending: before.pending });
    expect(await sql(`SELECT id FROM audit_event WHERE subject_id IN ('task-103', 'task-104')`)).toEqual([]);
  });

  it('counts a late commit below the newest sealed event as pending, in the verdict and in the metric', async () => {
    await sealer.sealAll();
    const late = new Client({ connectionString: databaseUrl });
    await late.connect();
    try {
      // Takes the lower id, then commits after a later event is sealed.
      await late.query('BEGIN');
      await late.query(
        `INSERT INTO audit_event (at, actor, action, subject_type) VALUES (now(), 'commerce.reviewer', 'LATE_LOW_ID', 'task')`,
      );
      await audit.record(event(62));
      expect(await sealer.sealAll()).toBe(1);
      await late.query('COMMIT');
    } finally {
      await late.end();
    }
    const verdict = await audit.verify();
    expect(verdict).toMatchObject({ valid: true, pending: 1 });
    const backlog = await db.audit.sealerBacklog(lateSince());
    expect(backlog.pending).toBe(1);
    expect(backlog.lagSeconds).toBeGreaterThan(0);
    expect(await sealer.sealAll()).toBe(1);
    expect(await db.audit.sealerBacklog(lateSince())).toEqual({ pending: 0, lagSeconds: 0 });
  });

  it('rejects UPDATE, DELETE and TRUNCATE through a normal connection', async () => {
    await expect(sql(`UPDATE audit_event SET reason = 'changed'`)).rejects.toThrow('audit_event is append-only: UPDATE is not allowed');
    await expect(sql('DELETE FROM audit_event WHERE id = (SELECT min(id) FROM audit_event)')).rejects.toThrow(
      'audit_event is append-only: DELETE is not allowed',
    );
    // The sealed chain's foreign key refuses a plain TRUNCATE first; CASCADE reaches the triggers.
    await expect(sql('TRUNCATE audit_event')).rejects.toThrow('cannot truncate a table referenced in a foreign key constraint');
    await expect(sql('TRUNCATE audit_event CASCADE')).rejects.toThrow(/^audit_\w+ is append-only: TRUNCATE is not allowed$/);
    await sealer.sealAll();
    for (const table of ['audit_chain', 'audit_checkpoint']) {
      await expect(sql(`UPDATE ${table} SET hash = 'x'`.replace('hash', table === 'audit_chain' ? 'hash' : 'head_hash'))).rejects.toThrow(
        `${table} is append-only: UPDATE is not allowed`,
      );
      await expect(sql(`DELETE FROM ${table}`)).rejects.toThrow(`${table} is append-only: DELETE is not allowed`);
      await expect(sql(`TRUNCATE ${table} CASCADE`)).rejects.toThrow(`${table} is append-only: TRUNCATE is not allowed`);
    }
    expect((await audit.verify()).valid).toBe(true);
  });

  it('passes the CLI check while intact', async () => {
    await sealer.sealAll();
    const result = await runVerifyCli(databaseUrl);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(await audit.verify());
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, pending: 0 });
  });

  /** As the table owner, in one transaction, with the append-only triggers off until it commits. */
  const behindTheTriggers = async (work: () => Promise<unknown>) => {
    const triggers = ['audit_event', 'audit_chain', 'audit_checkpoint'].map((t) => `${t} ${t}_append_only`);
    await sql('BEGIN');
    try {
      for (const t of triggers) await sql(`ALTER TABLE ${t.replace(' ', ' DISABLE TRIGGER ')}`);
      await work();
      for (const t of triggers) await sql(`ALTER TABLE ${t.replace(' ', ' ENABLE TRIGGER ')}`);
      await sql('COMMIT');
    } catch (error) {
      await sql('ROLLBACK');
      throw error;
    }
  };

  it('a windowed round skips events stamped before its window; a full sweep seals them', async () => {
    const { events } = await audit.verify();
    // As a transaction that stayed open for two hours would leave its event: committed, stamped long ago.
    await sql(
      `INSERT INTO audit_event (at, actor, action, subject_type) VALUES (now() - interval '2 hours', 'commerce.reviewer', 'LATE_COMMIT', 'task')`,
    );
    await audit.record(event(61, { action: 'RECENT_COMMIT' }));
    expect(await sealer.sealAll(lateSince())).toBe(1);
    expect(await audit.verify()).toMatchObject({ valid: true, events: events + 2, sealed: events + 1, pending: 1 });
    // The metric's index ranges do not reach it either (AuditRepository.sealerBacklog): the full count does.
    expect(await db.audit.sealerBacklog(lateSince())).toEqual({ pending: 0, lagSeconds: 0 });
    expect(await sealer.sealAll()).toBe(1);
    expect(await audit.verify()).toMatchObject({ valid: true, events: events + 2, sealed: events + 2, pending: 0 });
  });

  it('detects a rewrite without the key: an edited event with every later hash recomputed fails its checkpoint', async () => {
    const links = await sql<{ position: string; event_id: string; hash: string }>(
      'SELECT c.position::text, c.event_id::text, c.hash FROM audit_chain c ORDER BY c.position',
    );
    const from = 10; // rewrite from the event at position 10 on
    const [original] = await sql<{ after: unknown }>('SELECT after FROM audit_event WHERE id = $1', [links[from - 1].event_id]);
    const rewrite = async (after: unknown) =>
      behindTheTriggers(async () => {
        await sql('UPDATE audit_event SET after = $2 WHERE id = $1', [links[from - 1].event_id, JSON.stringify(after)]);
        let prevHash = links[from - 2].hash;
        for (const link of links.slice(from - 1)) {
          const [row] = await sql<AuditChainRow>(
            `SELECT id::text, at, actor, role, agency, action, subject_type AS "subjectType", subject_id AS "subjectId", before, after, reason,
                    request_id AS "requestId", prev_hash AS "prevHash", hash FROM audit_event WHERE id = $1`,
            [link.event_id],
          );
          const hash = hashEvent(prevHash, row);
          await sql('UPDATE audit_chain SET prev_hash = $2, hash = $3 WHERE position = $1', [link.position, prevHash, hash]);
          await sql('UPDATE audit_checkpoint SET head_hash = $2 WHERE last_position = $1', [link.position, hash]);
          prevHash = hash;
        }
      });
    await rewrite({ status: 'COMPLETED', decision: { position: 'NON_CONCUR' } });
    // The hashes alone check out again, so only the signatures can tell.
    const [checkpoint] = await sql<{ id: string; last_position: string }>(
      'SELECT k.id::text, k.last_position::text FROM audit_checkpoint k WHERE k.last_position >= $1 ORDER BY k.last_position LIMIT 1',
      [from],
    );
    const verdict = await audit.verify();
    expect(verdict).toMatchObject({
      valid: false,
      firstBrokenAt: links[Number(checkpoint.last_position) - 1].event_id,
      problem: expect.stringMatching(new RegExp(`^checkpoint ${checkpoint.id} is not signed by key`)),
    });
    // The sealer will not sign on top of it either.
    await audit.record(event(105));
    await expect(sealer.sealOnce()).rejects.toThrow(/is not the one checkpoint|not signed/);
    await rewrite(original.after);
    expect(await sealer.sealAll()).toBe(1);
    expect(await audit.verify()).toMatchObject({ valid: true, pending: 0 });
  });

  it('reports the first tampered row once the trigger is bypassed, and the CLI exits 2', async () => {
    await sealer.sealAll();
    expect(await audit.verify()).toMatchObject({ valid: true, pending: 0 });
    const [{ id }] = await sql<{ id: string }>('SELECT id FROM audit_event ORDER BY id OFFSET 19 LIMIT 1');
    await behindTheTriggers(() => sql(`UPDATE audit_event SET reason = 'quietly rewritten' WHERE id = $1`, [id]));

    const verdict = await audit.verify();
    expect(verdict).toMatchObject({ valid: false, firstBrokenAt: String(id) });

    const result = await runVerifyCli(databaseUrl);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual(verdict);
  });
});

describe('audit sealing migration', () => {
  const dbName = `exports_audit_migration_test_${Date.now()}`;
  const databaseUrl = databaseUrlNamed(dbName);
  let db: Database;
  let oracle: Client;
  /** Reverts migrations, newest first, until AuditSealing is undone (later ones may follow it). */
  const revertAuditSealing = async () => {
    const applied = async () => (await oracle.query(`SELECT 1 FROM migrations WHERE name = 'AuditSealing1764300001200'`)).rowCount === 1;
    while (await applied()) await db.revertLastMigration();
  };

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
    await revertAuditSealing(); // back to the inline chain, which had no sealer
  });

  afterAll(async () => {
    await oracle?.end();
    await db?.close();
    await dropDatabase(dbName);
  });

  it('seals the inline chain from before it as the first segment, which then verifies and is extended', async () => {
    let prevHash = GENESIS_HASH;
    for (let n = 0; n < 3; n++) {
      const content = { ...event(n), role: 'REVIEWER', agency: 'COMMERCE', reason: null, at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)) };
      const hash = hashEvent(prevHash, content as Parameters<typeof hashEvent>[1]);
      await oracle.query(
        `INSERT INTO audit_event (at, actor, role, agency, action, subject_type, subject_id, before, after, reason, request_id, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          content.at,
          content.actor,
          content.role,
          content.agency,
          content.action,
          content.subjectType,
          content.subjectId,
          JSON.stringify(content.before),
          JSON.stringify(content.after),
          content.reason,
          content.requestId,
          prevHash,
          hash,
        ],
      );
      prevHash = hash;
    }
    await db.migrate();
    const audit = new AuditService(db.audit, verifyingKeys);
    expect(await audit.verify()).toEqual({
      valid: true,
      events: 3,
      sealed: 3,
      pending: 0,
      lagSeconds: 0,
      checkpoints: 0,
      checkpointsByKey: {},
      unsealedGaps: 0,
    });
    await audit.record(event(3));
    expect(await new AuditSealer(db.audit, sealingKey, verifyingKeys).sealAll()).toBe(1);
    expect(await audit.verify()).toMatchObject({ valid: true, events: 4, sealed: 4, checkpoints: 1 });
    // Reverting now would have to invent an inline hash for the new event: refused, nothing changed.
    await expect(revertAuditSealing()).rejects.toThrow(/cannot revert AuditSealing: 1 audit events have no inline hash/);
    await db.migrate(); // whatever came after AuditSealing and was reverted on the way
    expect(await audit.verify()).toMatchObject({ valid: true, events: 4, sealed: 4, checkpoints: 1 });
  });
});
