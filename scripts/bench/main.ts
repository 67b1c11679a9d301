import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { projectPath } from '../../libs/config/paths';
import { B0Arm, RAW_UPDATE } from './b0-arm';
import { COMPLETE, E2eArm } from './e2e-arm';
import { runIdleCapacity } from './idle-capacity';
import { runInboxAtScale } from './inbox-at-scale';
import { LoadPlan, LoadResult, plannedSeconds, runLoad } from './load';
import { ArmMachine, ArmSection, BenchReport, LATEST_JSON, withReadmeTable } from './report';
import { BenchInfrastructure, processStats, ProcessStats } from './system';
import { AGENCY_USERS, Percentiles } from './workload';

/**
 * `npm run bench`: the end-to-end benchmark against raw Temporal (issue 12). Both arms run on one
 * Temporal dev server (persistent SQLite) in one run: B0 drives the real workflows with no-op
 * activities through the SDK, E2E drives Exports Desk through its HTTP API. Each gets an unloaded
 * baseline, then stepped open-loop arrivals until the SLO breaks. Writes docs/benchmarks/latest.json
 * and the README table made from it. BENCH_ONLY=b0,e2e,inbox,idle runs a subset and merges it into
 * the existing latest.json; BENCH_STEP_SECONDS, BENCH_GRACE_SECONDS, BENCH_BASELINE,
 * BENCH_B0_RATES, BENCH_E2E_RATES, BENCH_SESSIONS (tabs per agency user) and BENCH_INBOX_RETRY_MS
 * (an empty inbox's next look) tune the load.
 */

const SECTIONS = ['b0', 'e2e', 'inbox', 'idle'] as const;
type Section = (typeof SECTIONS)[number];

function intEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a positive integer, not ${value}`);
  return Number(value);
}

function ratesEnv(name: string, fallback: number[]): number[] {
  const value = process.env[name];
  if (!value) return fallback;
  const rates = value.split(',').map((r) => r.trim());
  if (rates.some((r) => !/^\d+$/.test(r) || Number(r) < 1))
    throw new Error(`${name} must be positive integers separated by commas, not ${value}`);
  return rates.map(Number);
}

function onlyEnv(): Section[] {
  const value = process.env.BENCH_ONLY;
  if (!value) return [...SECTIONS];
  const wanted = value.split(',').map((s) => s.trim());
  const unknown = wanted.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  return wanted as Section[];
}

/** CPU seconds spent during the arm (the difference of two readings) and the peak RSS at its end. */
function spent(before: ProcessStats, after: ProcessStats): ProcessStats {
  return { cpuSeconds: Math.round((after.cpuSeconds - before.cpuSeconds) * 100) / 100, peakRssMb: after.peakRssMb };
}

function driverStats(): ProcessStats {
  const usage = process.resourceUsage();
  return { cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMb: Math.round(usage.maxRSS / 1024) };
}

function sumStats(pids: number[]): ProcessStats {
  return pids.reduce(
    (sum, pid) => {
      try {
        const s = processStats(pid);
        return { cpuSeconds: sum.cpuSeconds + s.cpuSeconds, peakRssMb: Math.max(sum.peakRssMb, s.peakRssMb) };
      } catch {
        return sum; // a backend that closed meanwhile
      }
    },
    { cpuSeconds: 0, peakRssMb: 0 },
  );
}

/** Reads every named process's counters; `spent` of two readings is the arm's share. */
type Meter = () => Promise<Record<string, ProcessStats>>;

function armSection(
  load: LoadResult,
  completionCall: string,
  processes: Record<string, ProcessStats>,
  machine: ArmMachine,
): ArmSection & LoadResult {
  const sustained = load.steps.find((s) => s.offeredPerMin === load.sustainedStep);
  const proposals = load.plan.baseline + load.steps.reduce((n, s) => n + s.completed, 0);
  return {
    ...load,
    proposals,
    completion: { idleMs: load.unloaded.calls[completionCall], atSustainedMs: sustained?.calls[completionCall] ?? null },
    processes,
    machine,
  };
}

/** CPU seconds the whole machine has been busy (not idle, not waiting for I/O), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = ticks;
  return (user + nice + system + irq + softirq + steal) / 100;
}

/**
 * The arm's CPU seconds and peak RSS per process, and what the whole machine spent meanwhile: other
 * users' processes on a shared machine show as `machine.othersCpuSeconds` (with the load average).
 */
async function measure<T>(meter: Meter, run: () => Promise<T>) {
  const before = await meter();
  const busy = machineBusySeconds();
  const load = loadavg()[0];
  const result = await run();
  const machineCpuSeconds = Math.round((machineBusySeconds() - busy) * 10) / 10;
  const after = await meter();
  const processes = Object.fromEntries(Object.entries(after).map(([name, stats]) => [name, spent(before[name] ?? after[name], stats)]));
  const ours = Object.values(processes).reduce((sum, p) => sum + p.cpuSeconds, 0);
  const machine = {
    cpuSeconds: machineCpuSeconds,
    othersCpuSeconds: Math.round((machineCpuSeconds - ours) * 10) / 10,
    loadAverage: { before: load, after: loadavg()[0] },
  };
  return { result, processes, machine };
}

async function main(): Promise<void> {
  const only = onlyEnv();
  const stepSeconds = intEnv('BENCH_STEP_SECONDS', 45);
  const graceSeconds = intEnv('BENCH_GRACE_SECONDS', 30);
  const baseline = intEnv('BENCH_BASELINE', 6);
  const sessions = intEnv('BENCH_SESSIONS', 1);
  const emptyInboxRetryMs = intEnv('BENCH_INBOX_RETRY_MS', 250);
  const b0Plan: LoadPlan = { baseline, rates: ratesEnv('BENCH_B0_RATES', [20, 30, 45, 60, 80, 100, 130]), stepSeconds, graceSeconds };
  const e2ePlan: LoadPlan = { baseline, rates: ratesEnv('BENCH_E2E_RATES', [10, 15, 20, 30, 40, 50, 60]), stepSeconds, graceSeconds };
  const latestPath = projectPath(...LATEST_JSON);
  const previous: Partial<BenchReport> =
    only.length < SECTIONS.length && existsSync(latestPath) ? JSON.parse(readFileSync(latestPath, 'utf8')) : {};

  const workDir = mkdtempSync(join(tmpdir(), 'exports-bench-'));
  const total = (only.includes('b0') ? plannedSeconds(b0Plan, 3) : 0) + (only.includes('e2e') ? plannedSeconds(e2ePlan, 4) : 0);
  const bar = new SingleBar({
    format: 'bench [{bar}] {percentage}% | {arm} | {status}',
    hideCursor: true,
    // Without a terminal (CI, a log file) a line every 10 s instead of the redrawn bar.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  bar.start(Math.max(1, total), 0, { arm: 'starting', status: `Temporal dev server and PostgreSQL (logs in ${workDir})` });
  let offset = 0;
  const progress = (arm: string) => (done: number, status: string) => bar.update(Math.min(total, offset + done), { arm, status });
  const note = (arm: string) => (status: string) => bar.update({ arm, status });

  const infra = await BenchInfrastructure.start(workDir);
  const temporalPid = infra.temporalServer.pid as number;
  const report: BenchReport = {
    ...previous,
    b0Rate: previous.b0Rate ?? null,
    e2eRate: previous.e2eRate ?? null,
    ratio: null,
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
    },
    command: process.env.BENCH_ONLY ? `BENCH_ONLY=${process.env.BENCH_ONLY} npm run bench` : 'npm run bench',
    startedAt: new Date().toISOString(),
  };
  try {
    if (only.includes('b0')) {
      const arm = await B0Arm.start(infra, join(workDir, 'b0-worker.log'));
      const meter: Meter = async () => ({
        b0Worker: processStats(arm.worker.pid as number),
        temporal: processStats(temporalPid),
        driver: driverStats(),
      });
      try {
        const { result, processes, machine } = await measure(meter, () => runLoad(arm, b0Plan, 3, progress('B0 raw Temporal')));
        report.b0 = { ...armSection(result, RAW_UPDATE, processes, machine), updateErrors: arm.updateErrors.slice(0, 20) } as ArmSection;
        report.b0Rate = result.sustainedPerMin;
      } finally {
        await arm.stop();
      }
      offset += plannedSeconds(b0Plan, 3);
    }
    if (only.includes('e2e')) {
      note('E2E Exports Desk')('starting the API and worker');
      const arm = await E2eArm.start(
        infra,
        `exports_bench_e2e_${Date.now()}`,
        join(workDir, 'exports-desk.log'),
        sessions,
        emptyInboxRetryMs,
      );
      const waits = new Map<string, number>();
      let samples = 0;
      const sampler = setInterval(() => {
        void arm
          .activity()
          .then((rows) => {
            samples += 1;
            for (const row of rows) waits.set(row, (waits.get(row) ?? 0) + 1);
          })
          .catch(() => undefined);
      }, 1000);
      const meter: Meter = async () => ({
        api: processStats(arm.desk.api.pid as number),
        worker: processStats(arm.desk.worker.pid as number),
        temporal: processStats(temporalPid),
        postgresBackends: sumStats(await arm.backendPids()),
        driver: driverStats(),
      });
      try {
        const db0 = await arm.databaseCounters();
        const { result, processes, machine } = await measure(meter, () => runLoad(arm, e2ePlan, 4, progress('E2E Exports Desk')));
        const db1 = await arm.databaseCounters();
        const proposals = result.plan.baseline + result.steps.reduce((n, s) => n + s.arrivals, 0);
        report.e2e = {
          ...armSection(result, COMPLETE, processes, machine),
          users: { agencyUsers: AGENCY_USERS.length, sessionsPerUser: sessions, emptyInboxRetryMs },
          callErrors: arm.callErrors.slice(0, 20),
          profile: {
            note: 'pg_stat_activity of the arm database, sampled once a second during the whole arm: non-idle backends by wait event and statement',
            samples,
            activity: Object.fromEntries([...waits].sort((a, b) => b[1] - a[1]).slice(0, 25)),
            perProposal: {
              transactions: Math.round((db1.xactCommit - db0.xactCommit) / proposals),
              rowsInserted: Math.round((db1.tupInserted - db0.tupInserted) / proposals),
              rowsUpdated: Math.round((db1.tupUpdated - db0.tupUpdated) / proposals),
            },
          },
        } as ArmSection;
        report.e2eRate = result.sustainedPerMin;
      } finally {
        clearInterval(sampler);
        await arm.stop();
        await arm.dropDatabase().catch(() => undefined);
      }
      offset += plannedSeconds(e2ePlan, 4);
    }
    // Sections of another engineer's (issue 12): inbox reads at scale and the capacity of an idle system.
    if (only.includes('inbox')) report.inboxAtScale = await runInboxAtScale(infra, note('inbox at scale'));
    if (only.includes('idle')) report.idleCapacity = await runIdleCapacity(infra, note('idle capacity'));
  } finally {
    bar.stop();
    await infra.stop();
  }

  report.ratio = report.b0Rate && report.e2eRate !== null ? Math.round((report.e2eRate / report.b0Rate) * 100) / 100 : null;
  report.completionOverhead = overhead(report);
  mkdirSync(dirname(latestPath), { recursive: true });
  writeFileSync(latestPath, `${JSON.stringify(report, null, 2)}\n`);
  const readme = projectPath('README.md');
  writeFileSync(readme, withReadmeTable(readFileSync(readme, 'utf8'), report));
  // The logs and the Temporal database are kept only when something failed (the first progress line names the folder).
  rmSync(workDir, { recursive: true, force: true });
  console.log(
    `B0 ${report.b0Rate}/min, E2E ${report.e2eRate}/min, ratio ${report.ratio}; completion overhead idle ${report.completionOverhead.idle}, ` +
      `at sustained ${report.completionOverhead.atSustained}. Wrote ${latestPath} and the README table.`,
  );
}

/** E2E task completion p50 over B0's raw Update p50, both idle, and at each arm's sustained rate. */
function overhead(report: BenchReport): { idle: number | null; atSustained: number | null } {
  const ratio = (a?: Percentiles | null, b?: Percentiles | null) => (a && b && b.p50 ? Math.round((a.p50 / b.p50) * 100) / 100 : null);
  const { b0, e2e } = report;
  return {
    idle: ratio(e2e?.completion.idleMs as Percentiles, b0?.completion.idleMs as Percentiles),
    atSustained: ratio(e2e?.completion.atSustainedMs as Percentiles, b0?.completion.atSustainedMs as Percentiles),
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
