// Global setup of the fault suite (jest.faults.config.js): a private PostgreSQL (initdb/pg_ctl) and a
// private Temporal dev server with a db file, both on free ports, so that scenarios may stop them.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/services';
import { FaultState, initPostgres, startPostgres, startTemporal } from './fault-services';

export const FAULT_NAMESPACES = 10;

export default async function faultGlobalSetup(): Promise<void> {
  const stateDir = mkdtempSync(join(tmpdir(), 'exports-desk-faults-'));
  chmodSync(stateDir, 0o755); // PostgreSQL runs as the postgres user and must reach its data directory
  const pgPort = await freePort();
  const temporalPort = await freePort();
  const state: FaultState = {
    stateDir,
    adminUrl: `postgres://postgres@127.0.0.1:${pgPort}/postgres`,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    namespaces: Array.from({ length: FAULT_NAMESPACES }, (_, i) => `faults-${i}`),
    faults: {
      pgBin: '/usr/lib/postgresql/15/bin',
      pgData: join(stateDir, 'pg'),
      pgPort,
      temporalPort,
      temporalDb: join(stateDir, 'temporal.db'),
      temporalLog: join(stateDir, 'temporal.log'),
      temporalPidFile: join(stateDir, 'temporal.pid'),
    },
  };
  initPostgres(state.faults.pgData);
  await startPostgres(state);
  await startTemporal(state);
  writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state));
  process.env.EXPORTS_DESK_TEST_STATE = join(stateDir, 'state.json');
  console.log(
    `\n[faults] private PostgreSQL on :${pgPort}, Temporal on :${temporalPort} (db ${state.faults.temporalDb}); state in ${stateDir}`,
  );
}
