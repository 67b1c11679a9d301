import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { projectPath } from '../../libs/config/paths';
import { ensureDatabase } from '../../libs/db';
import { temporalBinary, waitFor } from '../../scripts/lib/services';
import { report } from '../support/fault-services';
import { GrpcFaultProxy } from '../support/grpc-fault-proxy';

interface TestState {
  adminUrl: string;
  temporalAddress: string;
}

/** gRPC status PERMISSION_DENIED: permanent, so the SDK stops retrying it after its grace period. */
const PERMISSION_DENIED = 7;

/**
 * The compiled worker behind a proxy that starts refusing its calls for good, as a cluster does
 * once the worker's credentials are revoked: its Workers fail, and the process exits non-zero (for
 * its supervisor to restart it) instead of staying up polling nothing. (A deleted namespace ends
 * the same way, but only after the server's deletion and cache refresh, which took from 2 to over
 * 4 minutes here; the proxy makes the fault immediate.)
 */
describe('worker process fails fast', () => {
  const state = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as TestState;
  const namespace = `fail-fast-${Date.now()}`;
  let proxy: GrpcFaultProxy | undefined;
  const dbName = `exports_fail_fast_test_${Date.now()}`;
  const databaseUrl = state.adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
  const temporal = (...args: string[]) => {
    const run = spawnSync(temporalBinary(), ['operator', 'namespace', ...args, '--address', state.temporalAddress], { encoding: 'utf8' });
    expect({ args, status: run.status, stderr: run.status ? run.stderr : '' }).toEqual({ args, status: 0, stderr: '' });
  };

  afterAll(async () => {
    await proxy?.close();
    const admin = new Client({ connectionString: state.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('exits with code 1 when the cluster refuses its calls for good', async () => {
    await ensureDatabase(databaseUrl);
    temporal('create', '--namespace', namespace);
    proxy = await GrpcFaultProxy.start(state.temporalAddress);
    let output = '';
    const worker = spawn(process.execPath, [projectPath('dist/apps/worker/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: proxy.address,
        TEMPORAL_NAMESPACE: namespace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the worker to poll', async () => output.includes('Workers polling'), 60_000);
      proxy.refuse(PERMISSION_DENIED, 'credentials revoked');
      // The SDK retries even a permanent error on its long polls for a 60 s grace period, then fails the Worker.
      let timer: NodeJS.Timeout | undefined;
      const refusedAt = Date.now();
      const stillRunning = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), 200_000)));
      const code = await Promise.race([exited, stillRunning]);
      clearTimeout(timer);
      const stoppedLogged = /Worker stopped: .*exiting with code 1/.test(output);
      // On failure the worker's own log says where it stood (the SDK logs its poll errors and shutdown).
      expect({ code, stoppedLogged, log: code === 1 && stoppedLogged ? '' : output.slice(-6000) }).toEqual({
        code: 1,
        stoppedLogged: true,
        log: '',
      });
      report(
        'worker-fail-fast',
        'the cluster refuses every call of the worker (PERMISSION_DENIED), polls in flight included',
        `the worker process exited with code 1 after ${Math.round((Date.now() - refusedAt) / 1000)} s`,
      );
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  }, 270_000);
});
