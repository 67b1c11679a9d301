import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '../../libs/auth';
import { projectPath } from '../../libs/config/paths';
import { Client as PgClient } from 'pg';
import { Database, dropDatabase, ensureDatabase, openDatabase } from '../../libs/db';
import { FIRST_ADMIN_LOCK } from '../../libs/db/repositories/user.repository';
import { waitFor } from '../../scripts/lib/services';
import { databaseUrlNamed } from '../support/databases';

/** `node dist/scripts/create-admin.js` on an empty production database (docs/runbook.md, "First administrator"). */
describe('create-admin command', () => {
  const databaseUrl = databaseUrlNamed(`exports_create_admin_${Date.now()}`);
  const dir = mkdtempSync(join(tmpdir(), 'create-admin-'));
  const production = {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: 'j'.repeat(40),
    AUDIT_SEAL_PUBLIC_KEY_FILE: join(dir, 'seal.pub'),
  };
  // Production reads the verifying key at start (libs/config), so the file must hold a real one.
  writeFileSync(production.AUDIT_SEAL_PUBLIC_KEY_FILE, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
  let db: Database;

  const run = (args: string[], stdin: string, env: Record<string, string | undefined> = production) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [projectPath('dist/scripts/create-admin.js'), ...args], { env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin);
    });
  const admins = () => db.users.list().then((users) => users.filter((u) => u.roles.includes('ADMIN')));

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
  });
  afterAll(async () => {
    await db?.close();
    await dropDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a short password and a bad username with their rules, creating nothing', async () => {
    const result = await run(['--username', 'A', '--display-name', 'First Admin'], 'short\n');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/username must be 3 to 64/);
    expect(result.stderr).toMatch(/password must be at least 12 characters/);
    await db.migrate();
    expect(await admins()).toEqual([]);
  });

  it('refuses while local accounts are off', async () => {
    const oidc = {
      ...production,
      OIDC_ISSUER: 'https://login.example.gov/realms/exports',
      OIDC_AUDIENCE: 'exports-desk',
      OIDC_JWKS_URL: 'https://login.example.gov/jwks',
    };
    const result = await run(['--username', 'first.admin', '--display-name', 'First Admin'], 'a long enough password\n', oidc);
    expect(result).toEqual(expect.objectContaining({ code: 2, stderr: expect.stringMatching(/local accounts are off/) }));
    expect(await admins()).toEqual([]);
  });

  it('creates the first administrator from a password on standard input, audited, then refuses a second', async () => {
    const created = await run(
      ['--username', 'first.admin', '--display-name', 'First Admin', '--email', 'admin@agency.example'],
      'correct horse battery\n',
    );
    expect(created).toEqual(expect.objectContaining({ code: 0, stdout: expect.stringMatching(/created administrator first\.admin/) }));
    const [admin] = await admins();
    expect(admin).toEqual(expect.objectContaining({ username: 'first.admin', roles: ['ADMIN'], agency: null, disabled: false }));
    const stored = await db.users.findForLogin('first.admin');
    expect(await verifyPassword('correct horse battery', stored?.passwordHash ?? '')).toBe(true);
    const { rows: events } = await db.audit.findPage({ subjectId: admin.id }, 1, 10);
    expect(events).toEqual([expect.objectContaining({ action: 'USER_CREATED', actor: 'create-admin (command line)', role: 'ADMIN' })]);
    expect(JSON.stringify(events)).not.toContain('correct horse battery');

    writeFileSync(join(dir, 'password'), 'another long password\n');
    const second = await run(['--username', 'second.admin', '--display-name', 'Second', '--password-file', join(dir, 'password')], '');
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/an administrator already exists \(first\.admin\)/);
    expect((await admins()).map((u) => u.username)).toEqual(['first.admin']);
  });

  it('makes one administrator when several runs start at once (the check and the insert under one lock)', async () => {
    // Disabled, the first one no longer counts: the deployment is back to having no administrator.
    const [first] = await admins();
    await db.unitOfWork.run((tx) => db.users.update(tx, first.id, { disabled: true }));
    const names = ['racer.one', 'racer.two', 'racer.three', 'racer.four'];
    // Held here until every run waits on it: then they all check at once, unless the lock orders them.
    const holder = new PgClient({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
    const runs = names.map((name) => run(['--username', name, '--display-name', name], 'a long enough password\n'));
    const waiting = async () =>
      (
        await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
          [FIRST_ADMIN_LOCK],
        )
      ).rows[0].n;
    await waitFor('every run waiting on the first-administrator lock', async () => (await waiting()) === names.length, 30_000);
    await holder.query('COMMIT');
    await holder.end();
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code).sort()).toEqual([0, 2, 2, 2]);
    for (const refused of results.filter((r) => r.code === 2)) expect(refused.stderr).toMatch(/an administrator already exists \(racer\./);
    const enabled = (await admins()).filter((u) => !u.disabled);
    expect(enabled).toHaveLength(1);
    expect(results[names.indexOf(enabled[0].username)].code).toBe(0);
  });
});
