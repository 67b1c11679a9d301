import type { ChildProcess } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { projectPath } from '../../libs/config/paths';
import { ensureDatabase } from '../../libs/db/migrate';
import { ensureNamespace, ensureSearchAttributes } from '../../libs/temporal/connection';
import { freePort, isPortOpen, startEmbeddedPostgres, startTemporalDevServer, stopProcess, waitFor } from '../lib/services';

/** The demo users' password outside production (data/demo-users.json is seeded by the API). */
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'exports-demo';
const EMBEDDED_PG_PORT = 54339;

/** CPU seconds (user + system) and peak resident memory of one process, read from /proc. */
export interface ProcessStats {
  cpuSeconds: number;
  peakRssMb: number;
}

export function processStats(pid: number): ProcessStats {
  // Fields 14 and 15 of /proc/<pid>/stat are utime and stime in clock ticks (100 per second on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuSeconds: ticks / 100, peakRssMb: hwm ? Math.round(Number(hwm[1]) / 1024) : 0 };
}

/** Resident memory now (VmRSS), in MiB. */
export function currentRssMb(pid: number): number {
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return rss ? Math.round(Number(rss[1]) / 1024) : 0;
}

/**
 * The parts both arms share: one Temporal dev server on persistent SQLite (as `npm start` runs
 * it) and a PostgreSQL server (DATABASE_URL, else the local one on 5432, else an embedded one).
 */
export class BenchInfrastructure {
  private constructor(
    readonly workDir: string,
    readonly temporalAddress: string,
    readonly temporalServer: ChildProcess,
    private readonly postgresUrl: string,
    private readonly stopPostgres?: () => Promise<void>,
  ) {}

  static async start(workDir: string): Promise<BenchInfrastructure> {
    const port = await freePort();
    const server = await startTemporalDevServer({ port, dbFile: join(workDir, 'temporal.sqlite'), logFile: join(workDir, 'temporal.log') });
    let postgresUrl = process.env.DATABASE_URL;
    let stopPostgres: (() => Promise<void>) | undefined;
    if (!postgresUrl && (await isPortOpen(5432))) postgresUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
    if (!postgresUrl) {
      const embedded = await startEmbeddedPostgres(join(workDir, 'postgres'), EMBEDDED_PG_PORT);
      postgresUrl = embedded.url;
      stopPostgres = embedded.stop;
    }
    return new BenchInfrastructure(workDir, `127.0.0.1:${port}`, server, postgresUrl, stopPostgres);
  }

  /** A fresh database on the bench's PostgreSQL server (the API migrates it on start). */
  async database(name: string): Promise<string> {
    const url = new URL(this.postgresUrl);
    url.pathname = `/${name}`;
    await ensureDatabase(url.toString());
    return url.toString();
  }

  /** A namespace on the dev server with the project's search attributes registered. */
  async namespace(name: string): Promise<string> {
    const connection = await Connection.connect({ address: this.temporalAddress });
    try {
      await ensureNamespace(connection, name);
      // A new namespace reaches the server's namespace cache within seconds; until then it is "not found".
      await waitFor(`namespace ${name}`, () => ensureSearchAttributes(connection, name).then(() => true), 30_000);
    } finally {
      await connection.close();
    }
    return name;
  }

  async stop(): Promise<void> {
    await stopProcess(this.temporalServer);
    await this.stopPostgres?.();
  }
}

export interface ExportsDeskOptions {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  logFile: string;
  /** Extra settings (libs/config) for both processes, e.g. raised write limits. */
  env?: Record<string, string>;
}

/** The compiled API and worker as real processes, as `npm start` runs them. */
export class ExportsDesk {
  private readonly tokens = new Map<string, string>();

  private constructor(
    readonly apiUrl: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    public api: ChildProcess,
    public worker: ChildProcess,
  ) {}

  static async start(options: ExportsDeskOptions): Promise<ExportsDesk> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_NAMESPACE: options.namespace,
      ...options.env,
    };
    const desk = new ExportsDesk(
      `http://127.0.0.1:${port}`,
      env,
      options.logFile,
      spawnService('apps/api/src/main.js', env, options.logFile),
      spawnService('apps/worker/src/main.js', env, options.logFile),
    );
    await desk.waitHealthy();
    return desk;
  }

  private async waitHealthy(): Promise<void> {
    try {
      await waitFor('the API /health', async () => (await fetch(`${this.apiUrl}/health`)).ok, 120_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- service log ---\n${readFileSync(this.logFile, 'utf8').slice(-4000)}`);
    }
  }

  /** Kills the worker and starts a new one: its workflow cache starts cold. */
  async restartWorker(): Promise<void> {
    await stopProcess(this.worker);
    this.worker = spawnService('apps/worker/src/main.js', this.env, this.logFile);
  }

  /** Logs a demo user in once and keeps the token. */
  async token(username: string): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const response = await fetch(`${this.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: DEMO_PASSWORD }),
    });
    const body = (await response.json()) as { accessToken?: string };
    if (response.status !== 200 || !body.accessToken) throw new Error(`login ${username}: ${response.status} ${JSON.stringify(body)}`);
    this.tokens.set(username, body.accessToken);
    return body.accessToken;
  }

  /** One API call as a demo user; answers status and parsed body. */
  async call<T = unknown>(username: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token(username)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async stop(): Promise<void> {
    await Promise.all([stopProcess(this.api), stopProcess(this.worker)]);
  }
}

function spawnService(script: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  return spawn(process.execPath, [projectPath('dist', script)], { env, stdio: ['ignore', log, log] });
}
