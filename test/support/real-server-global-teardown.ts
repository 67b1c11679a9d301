import { readFileSync, rmSync } from 'node:fs';
import { Client as PgClient } from 'pg';
import type { RealServerState } from './real-server-global-setup';
import { stopRealServer } from './real-temporal';

/** Stops the server's processes, whatever a failed spec left running, and drops its and the app's databases. */
export default async function realServerGlobalTeardown(): Promise<void> {
  if (!process.env.EXPORTS_DESK_TEST_STATE) return;
  const state = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE, 'utf8')) as RealServerState;
  await stopRealServer(state.server, 'SIGTERM');
  const pg = new PgClient({ connectionString: state.adminUrl });
  await pg.connect();
  try {
    const { rows } = await pg.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      state.appDatabasePrefix,
    ]);
    for (const db of [...Object.values(state.server.databases), ...rows.map((r) => r.datname)]) {
      await pg.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
    }
  } finally {
    await pg.end();
  }
  rmSync(state.stateDir, { recursive: true, force: true });
}
