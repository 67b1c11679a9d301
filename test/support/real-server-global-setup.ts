// Global setup of the real-server tier (jest.real-server.config.mjs): temporal-server with its four
// services as separate processes on fresh databases of the machine's PostgreSQL, one namespace with
// the app's search attributes. Writes the state file test/support/stack.ts reads, plus the server's.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import realServerGlobalTeardown from './real-server-global-teardown';
import { frontendAddress, prepareNamespace, prepareRealServer, RealServer, startRealServer } from './real-temporal';

export interface RealServerState {
  stateDir: string;
  adminUrl: string;
  temporalAddress: string;
  namespaces: string[];
  /** Prefix of the app databases Stack.start makes for the namespace, dropped at teardown. */
  appDatabasePrefix: string;
  server: RealServer;
}

export default async function realServerGlobalSetup(): Promise<void> {
  const started = Date.now();
  const stateDir = mkdtempSync(join(tmpdir(), 'exports-desk-real-server-'));
  chmodSync(stateDir, 0o755);
  const pg = { host: '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: 'postgres' };
  const server = await prepareRealServer(join(stateDir, 'temporal'), pg);
  // Unique per run: Stack.start names the app database after it.
  const namespace = `real-server-${process.pid}`;
  const state: RealServerState = {
    stateDir,
    adminUrl: `postgres://${pg.user}@${pg.host}:${pg.port}/postgres`,
    temporalAddress: frontendAddress(server),
    namespaces: [namespace],
    appDatabasePrefix: `exports_test_${namespace.replace(/-/g, '_')}_`,
    server,
  };
  // Written before anything starts: Jest skips global teardown when setup fails, so setup runs it itself.
  writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state));
  process.env.EXPORTS_DESK_TEST_STATE = join(stateDir, 'state.json');
  let pids: Awaited<ReturnType<typeof startRealServer>>;
  try {
    pids = await startRealServer(server);
    await prepareNamespace(server, namespace);
  } catch (error) {
    await realServerGlobalTeardown();
    throw error;
  }
  console.log(
    `\n[real-server] temporal-server v1.29.1 on PostgreSQL (databases ${Object.values(server.databases).join(', ')}), ` +
      `4 history shards, ${Object.entries(pids)
        .map(([service, pid]) => `${service} pid ${pid} :${server.ports[service as keyof typeof pids].grpc}`)
        .join(', ')}; namespace ${namespace} ready in ${Math.round((Date.now() - started) / 1000)} s; state in ${stateDir}`,
  );
}
