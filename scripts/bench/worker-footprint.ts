import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchInfrastructure, currentRssMb, ExportsDesk, processStats } from './system';

const IDLE_MS = 60_000;

/**
 * `node dist/scripts/bench/worker-footprint.js`: the worker process's resident memory and CPU just
 * after start and after a minute idle (no proposals), on a fresh dev server and database.
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'worker-footprint-'));
  const infra = await BenchInfrastructure.start(dir);
  try {
    const namespace = await infra.namespace('footprint');
    const databaseUrl = await infra.database(`footprint_${Date.now()}`);
    const desk = await ExportsDesk.start({
      databaseUrl,
      temporalAddress: infra.temporalAddress,
      namespace,
      logFile: join(dir, 'services.log'),
    });
    const pid = desk.worker.pid as number;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const started = { rssMb: currentRssMb(pid), ...processStats(pid) };
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const idle = { rssMb: currentRssMb(pid), ...processStats(pid) };
    console.log(JSON.stringify({ started, idle, idleCpuSecondsPerMinute: +(idle.cpuSeconds - started.cpuSeconds).toFixed(2) }));
    await desk.stop();
  } finally {
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
