import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { AuditEventInput, AuditService } from '../../libs/audit';
import { projectPath } from '../../libs/config/paths';
import { Database, ensureDatabase, openDatabase, Transaction } from '../../libs/db';

/** The server global setup chose (machine's or embedded); the local default when run without it. */
function adminUrl(): string {
  const statePath = process.env.EXPORTS_DESK_TEST_STATE;
  return statePath
    ? (JSON.parse(readFileSync(statePath, 'utf8')) as { adminUrl: string }).adminUrl
    : 'postgres://postgres@127.0.0.1:5432/postgres';
}

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

describe('audit trail on PostgreSQL (library only, no HTTP)', () => {
  const dbName = `exports_audit_test_${Date.now()}`;
  const databaseUrl = adminUrl().replace(/\/[^/]*$/, `/${dbName}`);
  let db: Database;
  let audit: AuditService;
  /** A plain connection of the table owner: the oracle, and the way around the library. */
  let oracle: Client;
  const sql = async <T>(text: string, params: unknown[] = []): Promise<T[]> => (await oracle.query(text, params)).rows as T[];

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    audit = new AuditService(db.audit);
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
  });

  afterAll(async () => {
    await oracle?.end();
    await db?.close();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('keeps one unbroken chain under 50 concurrent appends', async () => {
    const recorded = await Promise.all(Array.from({ length: 50 }, (_, n) => audit.record(event(n))));
    expect(new Set(recorded.map((e) => e.prevHash)).size).toBe(50);
    expect(await audit.verify()).toEqual({ valid: true, events: 50 });

    const rows = await sql<{ at: Date }>('SELECT at FROM audit_event ORDER BY id');
    const times = rows.map((r) => r.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
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
    expect(await audit.verify()).toEqual({ valid: true, events: 52 });
    expect(view.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const page = await audit.list({ subjectType: 'user', subjectId: 'admin', page: 1, pageSize: 10 });
    expect(page).toEqual({ items: [view], total: 1, page: 1, pageSize: 10 });
  });

  it('lists newest first with filters and pages', async () => {
    const page = await audit.list({ action: 'TASK_COMPLETED', page: 2, pageSize: 20 });
    expect(page.total).toBe(50);
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
    expect(await audit.verify()).toEqual({ valid: true, events: before.events + 2 });
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
    expect(await audit.verify()).toEqual(before);
    expect(await sql(`SELECT id FROM audit_event WHERE subject_id IN ('task-103', 'task-104')`)).toEqual([]);
  });

  it('rejects UPDATE, DELETE and TRUNCATE through a normal connection', async () => {
    await expect(sql(`UPDATE audit_event SET reason = 'changed'`)).rejects.toThrow('audit_event is append-only: UPDATE is not allowed');
    await expect(sql('DELETE FROM audit_event WHERE id = (SELECT min(id) FROM audit_event)')).rejects.toThrow(
      'audit_event is append-only: DELETE is not allowed',
    );
    await expect(sql('TRUNCATE audit_event')).rejects.toThrow('audit_event is append-only: TRUNCATE is not allowed');
    expect((await audit.verify()).valid).toBe(true);
  });

  it('passes the CLI check while intact', async () => {
    const result = await runVerifyCli(databaseUrl);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true });
  });

  it('reports the first tampered row once the trigger is bypassed, and the CLI exits 2', async () => {
    const [{ id }] = await sql<{ id: string }>('SELECT id FROM audit_event ORDER BY id OFFSET 19 LIMIT 1');
    // As the table owner, in one transaction; the trigger is back on when this commits.
    await sql('BEGIN');
    try {
      await sql('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
      await sql(`UPDATE audit_event SET reason = 'quietly rewritten' WHERE id = $1`, [id]);
      await sql('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
      await sql('COMMIT');
    } catch (error) {
      await sql('ROLLBACK');
      throw error;
    }

    const verdict = await audit.verify();
    expect(verdict).toMatchObject({ valid: false, firstBrokenAt: String(id) });

    const result = await runVerifyCli(databaseUrl);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual(verdict);
  });
});
