import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import demo from '../data/demo-proposals.json';
import { ConfigError, loadConfig, projectPath } from '../libs/config';
import { ensureDatabase } from '../libs/db/migrate';
import { Connection, ConnectionOptions } from '@temporalio/client';
import { ensureNamespace, ensureSearchAttributes, temporalConnectionOptions } from '../libs/temporal/connection';
import { isPortOpen, startEmbeddedPostgres, startNodeService, startTemporalDevServer, stopProcess, waitFor } from './lib/services';
import { seedDemoProposals } from './seed-demo';

const TEMPORAL_PORT = 7233;
const TEMPORAL_UI_PORT = 8233;
const EMBEDDED_PG_PORT = 54329;

/**
 * `npm start`: the whole system on one machine. PostgreSQL (DATABASE_URL, else the local server on
 * 5432, else an embedded one), a Temporal dev server (unless TEMPORAL_ADDRESS), the worker and the
 * API, with demo data outside production. Ctrl-C stops everything it started.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // The dev server started below speaks plaintext: TLS settings without a cluster to use them on are a mistake.
  if (!process.env.TEMPORAL_ADDRESS && (config.temporal.tls || config.temporal.apiKey))
    throw new ConfigError([
      'TEMPORAL_TLS*/TEMPORAL_API_KEY: set TEMPORAL_ADDRESS to the cluster they are for (npm start runs a plaintext dev server otherwise)',
    ]);
  const dataDir = isAbsolute(config.dataDir) ? config.dataDir : projectPath(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('[start] stopping…');
    await Promise.all(children.map((child) => stopProcess(child)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e: unknown) => console.error(e));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = process.env.DATABASE_URL ? config.databaseUrl : undefined;
  if (!databaseUrl && (await isPortOpen(5432))) databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    // As root, services.ts stages what the unprivileged postgres user cannot reach (scripts/lib/services.ts).
    const embedded = await startEmbeddedPostgres(join(dataDir, 'postgres'), EMBEDDED_PG_PORT);
    console.log(`[start] no PostgreSQL on 127.0.0.1:5432: started an embedded one in ${embedded.clusterDir}`);
    cleanups.push(embedded.stop);
    databaseUrl = embedded.url;
  }
  await ensureDatabase(databaseUrl);
  console.log(`[start] PostgreSQL: ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);

  // An external cluster is reached as configured (TLS, API key); the dev server started here speaks plaintext.
  let connectionOptions: ConnectionOptions | undefined = process.env.TEMPORAL_ADDRESS
    ? temporalConnectionOptions(config.temporal)
    : undefined;
  if (!connectionOptions) {
    const server = await startTemporalDevServer({
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_UI_PORT,
      dbFile: join(dataDir, 'temporal.sqlite'),
      logFile: join(dataDir, 'temporal.log'),
    });
    children.push(server);
    connectionOptions = { address: `127.0.0.1:${TEMPORAL_PORT}` };
    console.log(`[start] Temporal dev server at ${connectionOptions.address}; Temporal UI: http://127.0.0.1:${TEMPORAL_UI_PORT}`);
  }
  const connection = await Connection.connect(connectionOptions);
  await ensureNamespace(connection, config.temporal.namespace);
  await ensureSearchAttributes(connection, config.temporal.namespace);
  await connection.close();

  const env = { ...process.env, DATABASE_URL: databaseUrl, TEMPORAL_ADDRESS: connectionOptions.address };
  for (const [name, script] of [
    ['worker', 'apps/worker/src/main.js'],
    ['api', 'apps/api/src/main.js'],
  ] as const) {
    const child = startNodeService(name, script, env);
    child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`[start] ${name} exited (${signal ?? code}); stopping the rest`);
        void shutdown(1);
      }
    });
    children.push(child);
  }
  const apiUrl = `http://127.0.0.1:${config.port}`;
  await waitFor('the API health check', async () => (await fetch(`${apiUrl}/health`)).ok, 120_000);
  if (config.env !== 'production') {
    await seedDemoProposals(apiUrl, config.demoPassword);
    console.log(
      `[start] demo data: ${demo.proposals.length} proposals (sign in as applicant.acme, commerce.compliance, auditor… password ${config.demoPassword === 'exports-demo' ? 'exports-demo' : 'from DEMO_PASSWORD'})`,
    );
  }
  console.log(`[start] Exports Desk is up: ${apiUrl} (API docs ${apiUrl}/docs). Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
