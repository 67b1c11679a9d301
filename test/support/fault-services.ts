import { Connection } from '@temporalio/client';
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSearchAttributes } from '../../libs/temporal/connection';
import { isAlive, isPortOpen, temporalBinary, waitFor } from '../../scripts/lib/services';

/**
 * The fault suite's private PostgreSQL and Temporal dev server (with a db file), which scenarios
 * stop and start; never the machine's own services. Shared through the harness state file.
 */
export interface FaultState {
  stateDir: string;
  adminUrl: string;
  temporalAddress: string;
  namespaces: string[];
  faults: {
    pgBin: string;
    pgData: string;
    pgPort: number;
    temporalPort: number;
    temporalDb: string;
    temporalLog: string;
    temporalPidFile: string;
  };
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

export function faultState(): FaultState {
  return JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as FaultState;
}

/** initdb refuses root: run PostgreSQL's tools as the `postgres` user then. */
function asPostgres(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  return {
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  };
}

function pg(bin: string, args: string[]): string {
  return execFileSync(join(PG_BIN, bin), args, { ...asPostgres(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function initPostgres(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ids = asPostgres();
  if (ids.uid !== undefined) chownSync(dataDir, ids.uid, ids.gid as number);
  pg('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync']);
}

export async function startPostgres(state: Pick<FaultState, 'faults'> = faultState()): Promise<void> {
  const { pgData, pgPort } = state.faults;
  pg('pg_ctl', [
    '-D',
    pgData,
    '-l',
    join(pgData, 'server.log'),
    '-w',
    '-o',
    `-p ${pgPort} -k ${pgData} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  await waitFor('the fault suite PostgreSQL', () => isPortOpen(pgPort), 30_000);
}

/** Fast shutdown: open connections are terminated (57P01), new ones refused (ECONNREFUSED). */
export function stopPostgres(state: Pick<FaultState, 'faults'> = faultState()): void {
  pg('pg_ctl', ['-D', state.faults.pgData, '-m', 'fast', '-w', 'stop']);
}

export function postgresRunning(state: Pick<FaultState, 'faults'> = faultState()): boolean {
  try {
    pg('pg_ctl', ['-D', state.faults.pgData, 'status']);
    return true;
  } catch {
    return false;
  }
}

export async function startTemporal(state: Pick<FaultState, 'faults' | 'namespaces'> = faultState()): Promise<number> {
  const { temporalPort, temporalDb, temporalLog, temporalPidFile } = state.faults;
  const log = openSync(temporalLog, 'a');
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(temporalPort), '--headless', '--log-level', 'warn'];
  args.push('--db-filename', temporalDb, '--sqlite-pragma', 'journal_mode=WAL');
  args.push(...state.namespaces.flatMap((ns) => ['--namespace', ns]));
  const child = spawn(temporalBinary(), args, { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  child.unref();
  writeFileSync(temporalPidFile, String(child.pid));
  await waitFor('the fault suite Temporal dev server', () => isPortOpen(temporalPort), 60_000);
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  try {
    await waitFor('Temporal to answer', async () => Boolean(await connection.workflowService.getSystemInfo({})), 30_000);
    for (const ns of state.namespaces) await ensureSearchAttributes(connection, ns);
  } finally {
    await connection.close();
  }
  return child.pid as number;
}

export async function stopTemporal(state: Pick<FaultState, 'faults'> = faultState(), signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(state.faults.temporalPidFile, 'utf8'));
  } catch {
    return;
  }
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, signal);
  await waitFor('the Temporal dev server to exit', async () => !isAlive(pid), 20_000).catch(() => process.kill(pid, 'SIGKILL'));
  await waitFor('the Temporal port to close', async () => !(await isPortOpen(state.faults.temporalPort)), 20_000);
}

/** Prints one scenario line: what was injected, what was verified. */
export function report(scenario: string, injected: string, verified: string): void {
  process.stdout.write(`[fault] ${scenario}\n  injected: ${injected}\n  verified: ${verified}\n`);
}
