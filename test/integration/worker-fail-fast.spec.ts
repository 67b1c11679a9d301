import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { projectPath } from '../../libs/config/paths';
import { ensureDatabase } from '../../libs/db';
import { temporalBinary, waitFor } from '../../scripts/lib/services';

interface TestState {
  adminUrl: string;
  temporalAddress: string;
}

/**
 * The compiled worker against a namespace that is deleted under it: its Workers fail, and the
 * process exits non-zero (for its supervisor to restart it) instead of staying up polling nothing.
 */
describe('worker process fails fast', () => {
  const state = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as TestState;
  const namespace = `fail-fast-${Date.now()}`;
  const dbName = `exports_fail_fast_test_${Date.now()}`;
  const databaseUrl = state.adminUrl.replace(/\/[^/]*$/, `/${dbName}`);
  const temporal = (...args: string[]) => {
    const run = spawnSync(temporalBinary(), ['operator', 'namespace', ...args, '--address', state.temporalAddress], { encoding: 'utf8' });
    expect({ args, status: run.status, stderr: run.status ? run.stderr : '' }).toEqual({ args, status: 0, stderr: '' });
  };

  afterAll(async () => {
    const admin = new Client({ connectionString: state.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('exits with code 1 when its namespace is deleted', async () => {
    await ensureDatabase(databaseUrl);
    temporal('create', '--namespace', namespace);
    let output = '';
    const worker = spawn(process.execPath, [projectPath('dist/apps/worker/src/main.js')], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        TEMPORAL_ADDRESS: state.temporalAddress,
        TEMPORAL_NAMESPACE: namespace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the worker to poll', async () => output.includes('Workers polling'), 60_000);
      temporal('delete', '--namespace', namespace, '--yes');
      // The server answers NotFound once the deletion has gone through and the Workers' long polls return.
      let timer: NodeJS.Timeout | undefined;
      const stillRunning = new Promise<'still running'>((resolve) => (timer = setTimeout(() => resolve('still running'), 240_000)));
      const code = await Promise.race([exited, stillRunning]);
      clearTimeout(timer);
      expect({ code, stoppedLogged: /Worker stopped: .*exiting with code 1/.test(output) }).toEqual({ code: 1, stoppedLogged: true });
    } finally {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    }
  }, 330_000);
});
