import { Client, Connection } from '@temporalio/client';
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { ensureDatabase } from '../../libs/db/migrate';
import { projectPath } from '../../libs/config/paths';
import { freePort, stopProcess, waitFor } from '../../scripts/lib/services';

interface TestState {
  stateDir: string;
  adminUrl: string;
  temporalAddress: string;
  namespaces: string[];
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A running Exports Desk for one test file: the compiled API and worker as real processes, on
 * their own database and Temporal namespace, against the dev server started in global setup.
 */
export const DEMO_PASSWORD = 'exports-demo';

export class Stack {
  private readonly tokens = new Map<string, string>();

  private constructor(
    readonly baseUrl: string,
    readonly databaseUrl: string,
    readonly namespace: string,
    readonly temporal: Client,
    private readonly env: NodeJS.ProcessEnv,
    /** Both processes' output (LOG_LEVEL warn unless overridden). */
    readonly logFile: string,
    private api: ChildProcess,
    private worker: ChildProcess,
    /** Where `temporal` connects: the dev server itself, even when the services reach it through a proxy. */
    private readonly devServerAddress: string,
  ) {}

  /** The worker's Temporal SDK Prometheus exporter (WORKER_METRICS_ADDRESS: a free port of its own per stack). */
  get workerMetricsUrl(): string {
    return `http://${this.env.WORKER_METRICS_ADDRESS}/metrics`;
  }

  static async start(overrides: Record<string, string> = {}): Promise<Stack> {
    const state = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as TestState;
    const namespace = claimNamespace(state);
    const dbName = `exports_test_${namespace.replace(/-/g, '_')}_${Date.now()}`;
    const databaseUrl = state.adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
    await ensureDatabase(databaseUrl);
    const [port, workerMetricsPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: state.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      // Stacks run side by side: the default port would be bound by the first worker only.
      WORKER_METRICS_ADDRESS: `127.0.0.1:${workerMetricsPort}`,
      ...overrides,
    };
    return Stack.launch(env, join(state.stateDir, `${namespace}.log`), state.temporalAddress);
  }

  /**
   * A second API and worker on this stack's database and namespace (the API on a port of its own,
   * both logging to a file of their own): the system run as two replicas of each process.
   */
  async replica(): Promise<Stack> {
    const port = await freePort();
    return Stack.launch({ ...this.env, PORT: String(port) }, this.logFile.replace(/\.log$/, `-${port}.log`), this.devServerAddress);
  }

  private static async launch(env: NodeJS.ProcessEnv, logFile: string, devServerAddress: string): Promise<Stack> {
    const worker = spawnService('apps/worker/src/main.js', env, logFile);
    const api = spawnService('apps/api/src/main.js', env, logFile);
    const namespace = env.TEMPORAL_NAMESPACE as string;
    const connection = await Connection.connect({ address: devServerAddress });
    const stack = new Stack(
      `http://127.0.0.1:${env.PORT}`,
      env.DATABASE_URL as string,
      namespace,
      new Client({ connection, namespace }),
      env,
      logFile,
      api,
      worker,
      devServerAddress,
    );
    await stack.waitHealthy();
    return stack;
  }

  async waitHealthy(): Promise<void> {
    try {
      await waitFor('the API /health', async () => (await fetch(`${this.baseUrl}/health`)).ok, 60_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- service log ---\n${readFileSync(this.logFile, 'utf8').slice(-4000)}`);
    }
  }

  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult<T>> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // non-JSON bodies (HTML, CSV) stay text
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** Logs a demo user in (password from DEMO_PASSWORD's default) and caches the token. */
  async token(username: string): Promise<string> {
    const cached = this.tokens.get(username);
    if (cached) return cached;
    const res = await this.request('POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    this.tokens.set(username, res.body.accessToken);
    return res.body.accessToken;
  }

  /** A request as a demo user. */
  async as<T = any>(
    username: string,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<T>> {
    return this.request<T>(method, path, body, { ...headers, authorization: `Bearer ${await this.token(username)}` });
  }

  /** Polls until the check passes: workflows move on their own time. */
  async eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
    let result: T | undefined | false;
    await waitFor(what, async () => Boolean((result = await probe())), timeoutMs);
    return result as T;
  }

  async sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
    const pg = new PgClient({ connectionString: this.databaseUrl });
    await pg.connect();
    try {
      return (await pg.query(text, params)).rows as T[];
    } finally {
      await pg.end();
    }
  }

  /** Kills the worker and API and starts them again on the same database and namespace, with `overrides` added to their environment. */
  async restart(overrides: Record<string, string> = {}): Promise<void> {
    await Promise.all([stopProcess(this.api), stopProcess(this.worker)]);
    Object.assign(this.env, overrides);
    this.worker = spawnService('apps/worker/src/main.js', this.env, this.logFile);
    this.api = spawnService('apps/api/src/main.js', this.env, this.logFile);
    await this.waitHealthy();
  }

  /** Stops the worker alone (the API keeps serving); `restart()` starts it again. */
  async stopWorker(): Promise<void> {
    await stopProcess(this.worker);
  }

  async stop(): Promise<void> {
    await Promise.all([stopProcess(this.api), stopProcess(this.worker)]);
    await this.temporal.connection.close();
  }
}

function spawnService(script: string, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', projectPath('dist', script)], { env, stdio: ['ignore', log, log] });
  closeSync(log);
  return child;
}

/** Each stack gets a namespace of its own (pre-created by global setup), claimed atomically. */
function claimNamespace(state: TestState): string {
  for (const namespace of state.namespaces) {
    try {
      closeSync(openSync(join(state.stateDir, `claim-${namespace}`), 'wx'));
      return namespace;
    } catch {
      // taken by another test file
    }
  }
  throw new Error(`All ${state.namespaces.length} test namespaces are taken: raise NAMESPACES in global-setup.mjs`);
}
