import { Connection } from '@temporalio/client';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectPath } from '../../libs/config/paths';
import { ensureNamespace, ensureSearchAttributes } from '../../libs/temporal/connection';
import { freePort, isAlive, isPortOpen, temporalBinary, waitFor } from '../../scripts/lib/services';

const run = promisify(execFile);

/**
 * The real Temporal server (temporal-server v1.29.1, not the CLI's dev server) on the machine's
 * PostgreSQL: its four services (frontend, history, matching, worker) each as its own process,
 * finding each other through the cluster_membership table as in a production deployment.
 */
const SERVICES = ['frontend', 'history', 'matching', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RealServer {
  binDir: string;
  /** `--root`: holds config/development.yaml, config/dynamic.yaml, one log and pid file per service. */
  root: string;
  /** PostgreSQL to put Temporal's own two databases in (never the app's database). */
  pg: { host: string; port: number; user: string };
  databases: { default: string; visibility: string };
  ports: Record<ServiceName, { grpc: number; membership: number }>;
}

export const frontendAddress = (server: RealServer) => `127.0.0.1:${server.ports.frontend.grpc}`;

/** The directory with temporal-server, temporal-sql-tool and schema/ (PostgreSQL v12), built once by scripts/ensure-temporal-server.sh. */
function serverBinaries(): string {
  return execFileSync('bash', [projectPath('scripts', 'ensure-temporal-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * Fresh databases (names unique to this run) with the schemas applied, free ports, and the server's
 * config under `root`. Nothing is started.
 */
export async function prepareRealServer(root: string, pg: RealServer['pg']): Promise<RealServer> {
  const binDir = serverBinaries();
  const suffix = `${Date.now()}_${process.pid}`;
  const databases = { default: `temporal_rs_${suffix}`, visibility: `temporal_rs_${suffix}_vis` };
  const sqlTool = (db: string, ...args: string[]) =>
    run(join(binDir, 'temporal-sql-tool'), args, {
      env: { ...process.env, SQL_PLUGIN: 'postgres12', SQL_HOST: pg.host, SQL_PORT: String(pg.port), SQL_USER: pg.user, SQL_DATABASE: db },
    });
  for (const [db, kind] of [
    [databases.default, 'temporal'],
    [databases.visibility, 'visibility'],
  ] as const) {
    await sqlTool(db, 'create-database');
    await sqlTool(db, 'setup-schema', '-v', '0.0');
    await sqlTool(db, 'update-schema', '-d', join(binDir, 'schema', kind, 'versioned'));
  }
  const ports = {} as RealServer['ports'];
  for (const service of SERVICES) ports[service] = { grpc: await freePort(), membership: await freeSmallintPort() };
  const server: RealServer = { binDir, root, pg, databases, ports };
  mkdirSync(join(root, 'config'), { recursive: true });
  writeFileSync(join(root, 'config', 'development.yaml'), serverConfig(server));
  writeFileSync(join(root, 'config', 'dynamic.yaml'), DYNAMIC_CONFIG);
  return server;
}

/**
 * A free port below 32768: cluster_membership keeps the membership port in a PostgreSQL SMALLINT, and
 * the kernel's ephemeral ports (what freePort hands out) start above that.
 */
async function freeSmallintPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

function serverConfig(server: RealServer): string {
  const store = (db: string) => `
      sql:
        pluginName: postgres12
        databaseName: ${db}
        connectAddr: "${server.pg.host}:${server.pg.port}"
        connectProtocol: tcp
        user: ${server.pg.user}
        password: ""
        maxConns: 10
        maxIdleConns: 10
        maxConnLifetime: 1h`;
  const services = SERVICES.map(
    (s) => `
  ${s}:
    rpc:
      grpcPort: ${server.ports[s].grpc}
      membershipPort: ${server.ports[s].membership}
      bindOnIP: 127.0.0.1`,
  ).join('');
  // No pprof or metrics listeners: four processes on one host would fight over their fixed ports.
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: 4
  datastores:
    default:${store(server.databases.default)}
    visibility:${store(server.databases.visibility)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
services:${services}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "${frontendAddress(server)}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: "${join(server.root, 'config', 'dynamic.yaml')}"
  pollInterval: 10s
`;
}

// Search attributes registered by the harness are used by workflows seconds later: every service
// reads them fresh rather than from a cache refreshed once a minute (a test setting, as its name says).
const DYNAMIC_CONFIG = `system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`;

const pidFile = (server: RealServer, service: ServiceName) => join(server.root, `${service}.pid`);
const serviceLog = (server: RealServer, service: ServiceName) => join(server.root, `${service}.log`);

function pidOf(server: RealServer, service: ServiceName): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(server, service), 'utf8'));
    return pid && isAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the four services as detached processes (pids in files under `root`, so that a spec in a
 * Jest worker can stop what global setup started) and waits until the frontend reports SERVING.
 * Returns the pids.
 */
export async function startRealServer(server: RealServer): Promise<Record<ServiceName, number>> {
  const pids = {} as Record<ServiceName, number>;
  let exited: ServiceName | undefined;
  const start = (service: ServiceName) => {
    const log = openSync(serviceLog(server, service), 'a');
    const args = ['--root', server.root, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start', '--service', service];
    const child = spawn(join(server.binDir, 'temporal-server'), args, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    child.once('exit', () => (exited ??= service));
    child.unref();
    writeFileSync(pidFile(server, service), String(child.pid));
    pids[service] = child.pid as number;
  };
  // On fresh databases every service writes the cluster metadata at start-up, and four at once can
  // collide ("failed to initialize current cluster metadata", seen under CI load): the frontend goes
  // first, and the others start once it listens (it listens only after that initialisation).
  const [first, ...rest] = SERVICES;
  start(first);
  await waitFor(
    `temporal-server ${first} listening`,
    async () => exited !== undefined || (await isPortOpen(server.ports[first].grpc)),
    60_000,
  );
  if (!exited) rest.forEach(start);
  const healthy = async () => {
    const { stdout } = await run(temporalBinary(), ['operator', 'cluster', 'health', '--address', frontendAddress(server)]);
    return stdout.includes('SERVING') && !stdout.includes('NOT_SERVING');
  };
  // waitFor treats a throwing probe as "not yet": an exited service ends the wait instead, and fails below.
  await waitFor('temporal operator cluster health: SERVING', async () => exited !== undefined || (await healthy()), 90_000).catch(
    (error: Error) => {
      throw new Error(`${error.message}\n--- frontend log ---\n${readFileSync(serviceLog(server, 'frontend'), 'utf8').slice(-3000)}`);
    },
  );
  if (exited) {
    const log = serviceLog(server, exited);
    throw new Error(`temporal-server ${exited} exited during start-up (${log}):\n${readFileSync(log, 'utf8').slice(-3000)}`);
  }
  return pids;
}

/** Stops every service process (SIGKILL by default: no graceful shard hand-off) and waits until each is gone. */
export async function stopRealServer(server: RealServer, signal: NodeJS.Signals = 'SIGKILL'): Promise<number[]> {
  const pids = SERVICES.map((s) => pidOf(server, s)).filter((pid): pid is number => pid !== undefined);
  for (const pid of pids) process.kill(pid, signal);
  await waitFor('the temporal-server processes to exit', async () => !pids.some(isAlive), 30_000).catch(() => {
    for (const pid of pids.filter(isAlive)) process.kill(pid, 'SIGKILL');
  });
  return pids;
}

/**
 * Registers the namespace and the app's search attributes (the same calls as the dev-server
 * harness), retried while the new namespace reaches the frontend's registry.
 */
export async function prepareNamespace(server: RealServer, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address: frontendAddress(server) });
  try {
    await waitFor(`namespace ${namespace}`, () => ensureNamespace(connection, namespace).then(() => true), 60_000);
    await waitFor(`search attributes of ${namespace}`, () => ensureSearchAttributes(connection, namespace).then(() => true), 60_000);
  } finally {
    await connection.close();
  }
}
