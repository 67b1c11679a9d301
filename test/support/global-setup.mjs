// Starts the real parts the integration tests run against: PostgreSQL (the machine's server, or an
// embedded one) and a Temporal dev server with one namespace per test stack. Runs natively (not in
// Jest's module registry), using the compiled helpers that `npm test` has just built.
import { createRequire } from 'node:module';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { freePort, isPortOpen, startEmbeddedPostgres, startTemporalDevServer } = require('../../dist/scripts/lib/services.js');
const { ensureSearchAttributes } = require('../../dist/libs/temporal/connection.js');
const { Connection } = require('@temporalio/client');

export const NAMESPACES = 48;

export default async function globalSetup() {
  const stateDir = mkdtempSync(join(tmpdir(), 'exports-desk-test-'));
  chmodSync(stateDir, 0o755); // an embedded PostgreSQL's initdb runs as the unprivileged postgres user
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl && (await isPortOpen(5432))) adminUrl = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!adminUrl) {
    const embedded = await startEmbeddedPostgres(join(stateDir, 'pg'), await freePort());
    globalThis.__embeddedPostgres = embedded;
    adminUrl = embedded.url.replace(/\/exports_desk$/, '/postgres');
  }
  const temporalPort = await freePort();
  const namespaces = Array.from({ length: NAMESPACES }, (_, i) => `test-${i}`);
  globalThis.__temporal = await startTemporalDevServer({
    port: temporalPort,
    extraArgs: namespaces.flatMap((ns) => ['--namespace', ns]),
    logFile: join(stateDir, 'temporal.log'),
  });
  const temporalAddress = `127.0.0.1:${temporalPort}`;
  const connection = await Connection.connect({ address: temporalAddress });
  for (const ns of namespaces) await ensureSearchAttributes(connection, ns);
  await connection.close();
  const state = { stateDir, adminUrl, temporalAddress, namespaces };
  writeFileSync(join(stateDir, 'state.json'), JSON.stringify(state));
  process.env.EXPORTS_DESK_TEST_STATE = join(stateDir, 'state.json');
}
