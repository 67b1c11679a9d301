/**
 * docs/benchmarks/latest.json and the README table made from it (test/unit/docs/benchmarks.spec.ts
 * checks that the two agree).
 */

export const LATEST_JSON = ['docs', 'benchmarks', 'latest.json'];
export const README_START = '<!-- bench:e2e:start -->';
export const README_END = '<!-- bench:e2e:end -->';
/** Keys latest.json always has (issue 12). */
export const REQUIRED_KEYS = ['b0Rate', 'e2eRate', 'ratio', 'machine', 'command', 'startedAt'] as const;

interface Pct {
  p50: number;
  p95: number;
  p99: number;
}

interface StepRow {
  offeredPerMin: number;
  throughputPerMin: number;
  held: boolean;
}

interface ProcessRow {
  cpuSeconds: number;
  peakRssMb: number;
}

/** The parts of an arm's section the table shows. */
export interface ArmSection {
  sustainedPerMin: number;
  unloaded: { lifecycleMs: Pct };
  steps: StepRow[];
  stateTransitions: { total: number };
  completion: { idleMs: Pct; atSustainedMs: Pct | null };
  processes: Record<string, ProcessRow>;
  proposals: number;
  /** The whole machine during the arm: CPU seconds busy, of which other users' processes, and the 1-minute load average. */
  machine: ArmMachine;
}

export interface ArmMachine {
  cpuSeconds: number;
  othersCpuSeconds: number;
  loadAverage: { before: number; after: number };
}

export interface BenchReport {
  b0Rate: number | null;
  e2eRate: number | null;
  ratio: number | null;
  machine: { cpus: number; model: string; memoryGb: number; node: string };
  command: string;
  startedAt: string;
  b0?: ArmSection;
  e2e?: ArmSection;
  completionOverhead?: { idle: number | null; atSustained: number | null };
  [section: string]: unknown;
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`);
const pct = (p: Pct | null | undefined) => (p ? `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}` : 'n/a');
const num = (v: number | null | undefined, digits = 1) => (v === null || v === undefined ? 'n/a' : v.toFixed(digits));
const steps = (arm?: ArmSection) =>
  arm ? arm.steps.map((s) => `${s.offeredPerMin}→${s.throughputPerMin}${s.held ? '' : ' (broke)'}`).join(', ') : 'n/a';
const processes = (arm?: ArmSection) =>
  arm
    ? Object.entries(arm.processes)
        .map(([name, p]) => `${name} ${(p.cpuSeconds / Math.max(1, arm.proposals)).toFixed(2)} s / ${p.peakRssMb} MB`)
        .join('; ')
    : 'n/a';

const contention = (arm?: ArmSection) =>
  arm
    ? `${arm.machine.othersCpuSeconds} s of ${arm.machine.cpuSeconds} s; ${arm.machine.loadAverage.before.toFixed(1)} → ${arm.machine.loadAverage.after.toFixed(1)}`
    : 'n/a';

interface LatencyMs {
  p50Ms: number;
  p99Ms: number;
}

/** The parts of runInboxAtScale's section the table shows (scripts/bench/inbox-at-scale.ts). */
interface InboxSection {
  seeded: { tasks: number };
  cases: { name: string; total: number; postgres: { repositoryList: LatencyMs }; endToEnd: LatencyMs }[];
}

/** The parts of runIdleCapacity's section the table shows (scripts/bench/idle-capacity.ts). */
interface IdleSection {
  waitingProposals: number;
  proposalsSource: string;
  worker: {
    maxCachedWorkflowsPerWorker: number;
    steadyRssMb: { maxMb: number };
    coldStartRssMb: number;
    afterCompletionsRssMb: { maxMb: number };
  };
  coldCompletion: LatencyMs;
  rssAtTarget: {
    measured: boolean;
    rssMb?: number;
    extrapolatedRssMb?: number;
    residualGrowthMbPerThousandProposals?: number | null;
    extrapolatedRssMbWithResidualGrowth?: number | null;
  };
}

const p50p99 = (l: LatencyMs) => `${l.p50Ms.toFixed(1)} / ${l.p99Ms.toFixed(1)} ms`;

/** Inbox at scale and idle capacity, when the run had them. */
function sectionTables(report: BenchReport): string[] {
  const lines: string[] = [];
  const inbox = report.inboxAtScale as InboxSection | undefined;
  if (inbox) {
    lines.push(
      '',
      `Inbox at ${inbox.seeded.tasks.toLocaleString('en-US')} tasks, page of 20 (targets: p99 < 5 ms in PostgreSQL, < 25 ms end to end):`,
      '',
      '| inbox | visible tasks | PostgreSQL p50 / p99 | GET /api/v1/tasks p50 / p99 |',
      '|---|---|---|---|',
      ...inbox.cases.map((c) => `| ${c.name} | ${c.total} | ${p50p99(c.postgres.repositoryList)} | ${p50p99(c.endToEnd)} |`),
    );
  }
  const idle = report.idleCapacity as IdleSection | undefined;
  if (idle) {
    const at = idle.rssAtTarget;
    const residual = at.extrapolatedRssMbWithResidualGrowth
      ? `, or ${at.extrapolatedRssMbWithResidualGrowth} MB if the growth seen once the caches were full (${at.residualGrowthMbPerThousandProposals} MB per 1,000) went on`
      : '';
    const atTarget = at.measured
      ? `${at.rssMb} MB (measured)`
      : `not measured: ${at.extrapolatedRssMb} MB if memory stays bounded by the caches${residual}`;
    lines.push(
      '',
      `Idle capacity: ${idle.waitingProposals} proposals waiting on humans (${idle.proposalsSource}), ` +
        `${idle.worker.maxCachedWorkflowsPerWorker} cached workflows per Worker: worker RSS steady ${idle.worker.steadyRssMb.maxMb} MB; ` +
        `after a restart ${idle.worker.coldStartRssMb} MB, after cold completions ${idle.worker.afterCompletionsRssMb.maxMb} MB; ` +
        `cold task completion p50 / p99 ${p50p99(idle.coldCompletion)}; at 10,000 waiting: ${atTarget} (target < 1024 MB).`,
    );
  }
  return lines;
}

/** The README's benchmark table, between its markers. */
export function renderReadmeTable(report: BenchReport): string {
  const { b0, e2e } = report;
  const rows = [
    ['sustained rate, proposals/min (SLO held)', num(report.b0Rate), num(report.e2eRate)],
    ['ratio E2E/B0 (target ≥ 0.6)', '', num(report.ratio, 2)],
    ['lifecycle unloaded p50 / p95 / p99', pct(b0?.unloaded.lifecycleMs), pct(e2e?.unloaded.lifecycleMs)],
    ['task completion idle p50 / p95 / p99 (B0: raw Update)', pct(b0?.completion.idleMs), pct(e2e?.completion.idleMs)],
    ['task completion at sustained rate p50 / p95 / p99', pct(b0?.completion.atSustainedMs), pct(e2e?.completion.atSustainedMs)],
    [
      'completion p50 over raw Update p50, idle / at sustained (targets ≤ 2 / ≤ 5)',
      '',
      `${num(report.completionOverhead?.idle, 2)} / ${num(report.completionOverhead?.atSustained, 2)}`,
    ],
    ['throughput by offered rate (per min)', steps(b0), steps(e2e)],
    ['state transitions per proposal', String(b0?.stateTransitions.total ?? 'n/a'), String(e2e?.stateTransitions.total ?? 'n/a')],
    ['CPU per proposal / peak RSS by process', processes(b0), processes(e2e)],
    ['other processes on the machine during the arm: CPU s, load average', contention(b0), contention(e2e)],
  ];
  const { machine } = report;
  return [
    README_START,
    '| measure | B0: raw Temporal | E2E: Exports Desk over HTTP |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    ...sectionTables(report),
    '',
    `\`${report.command}\`, ${report.startedAt}: ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB, Node ${machine.node}` +
      ' (generated from `docs/benchmarks/latest.json`).',
    README_END,
  ].join('\n');
}

/** The README with its benchmark block replaced by the table of `report`. */
export function withReadmeTable(readme: string, report: BenchReport): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} … ${README_END} block`);
  return readme.slice(0, start) + renderReadmeTable(report) + readme.slice(end + README_END.length);
}

/** The README's benchmark block as it stands. */
export function readmeTable(readme: string): string | undefined {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  return start < 0 || end < start ? undefined : readme.slice(start, end + README_END.length);
}
