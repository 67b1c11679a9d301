import { readFileSync } from 'node:fs';
import type { TaskActor } from '../../libs/contracts/tasks';
import { projectPath } from '../../libs/config/paths';
import type { TaskType } from '../../libs/domain/tasks/task-types';

/**
 * What both arms of `npm run bench` share: the proposal filed, who completes which task with which
 * body (as test/integration/financing.spec.ts does), and latency statistics.
 */

/** demo-clean-kenya (screens clean, a small-business member) requesting the three instruments of financing.spec. */
export function benchSubmission(): Record<string, unknown> {
  const demo = JSON.parse(readFileSync(projectPath('data', 'demo-proposals.json'), 'utf8')) as {
    proposals: { key: string; body: Record<string, unknown> }[];
  };
  const clean = demo.proposals.find((p) => p.key === 'demo-clean-kenya');
  if (!clean) throw new Error('data/demo-proposals.json has no demo-clean-kenya proposal');
  return {
    ...clean.body,
    federalSupport: [
      { instrumentId: 'exim_loan_guarantee', amountUsd: 50_000_000 },
      { instrumentId: 'dfc_pri', amountUsd: 20_000_000 },
      { instrumentId: 'ustda_feasibility', amountUsd: 1_500_000 },
    ],
  };
}

export const APPLICANT = 'applicant.acme';

/** The demo user who takes each (type, agency) task of a clean lifecycle. */
const TAKERS: Record<string, string> = {
  'AGENCY_REVIEW:COMMERCE': 'commerce.reviewer',
  'AGENCY_REVIEW:STATE': 'state.reviewer',
  'AGENCY_REVIEW:OSTP': 'ostp.reviewer',
  'CONSULTATION:DOD': 'dod.reviewer',
  'CONSULTATION:DOE': 'doe.reviewer',
  'DESIGNATION_DECISION:COMMERCE': 'commerce.decider',
  'FINANCING_ASSIGNMENT:STATE': 'edag.coordinator',
  'FINANCING_REVIEW:EXIM': 'exim.officer',
  'FINANCING_REVIEW:DFC': 'dfc.officer',
  'FINANCING_REVIEW:USTDA': 'ustda.officer',
  'SBA_REFERRAL:SBA': 'sba.officer',
  'ADVOCACY_REFERRAL:ITA': 'ita.officer',
  'LICENSING_REVIEW:BIS': 'bis.officer',
};

/** The reviewer of each agency that reviews or is consulted (review and consultation tasks), by agency. */
export const REVIEWERS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TAKERS)
    .filter(([key]) => key.startsWith('AGENCY_REVIEW:') || key.startsWith('CONSULTATION:'))
    .map(([key, user]) => [key.split(':')[1], user]),
);

/** Every agency user of a lifecycle, once each (the E2E arm logs each in once). */
export const AGENCY_USERS: readonly string[] = [...new Set(Object.values(TAKERS))];

export function takerOf(type: TaskType, agency: string): string {
  const user = TAKERS[`${type}:${agency}`];
  if (!user) throw new Error(`No bench user takes ${type} tasks of ${agency}`);
  return user;
}

let demoUsers: TaskActor[] | undefined;

/** The user as the API puts it into an Update (actorOf in apps/api/src/tasks/tasks.service.ts). */
export function actorOf(username: string): TaskActor {
  demoUsers ??= (JSON.parse(readFileSync(projectPath('data', 'demo-users.json'), 'utf8')) as { users: TaskActor[] }).users;
  const user = demoUsers.find((u) => u.username === username);
  if (!user) throw new Error(`data/demo-users.json has no ${username}`);
  return { username: user.username, roles: user.roles, agency: user.agency };
}

export interface CompletionBody {
  decision: string;
  comment?: string;
  data?: Record<string, unknown>;
}

interface Route {
  instrumentId: string;
  agency: string;
  amountUsd: number;
}

/** The body a user sends to complete a task, from what the task's form shows (the inbox row spreads the form). */
export function completionFor(type: TaskType, form: Record<string, unknown>): CompletionBody {
  switch (type) {
    case 'AGENCY_REVIEW':
    case 'CONSULTATION':
      return { decision: 'CONCUR' };
    case 'DESIGNATION_DECISION':
      return { decision: 'DESIGNATE' };
    case 'FINANCING_ASSIGNMENT':
      return {
        decision: 'ASSIGN',
        data: {
          assignments: (form.suggestions as Route[]).map(({ instrumentId, agency, amountUsd }) => ({ instrumentId, agency, amountUsd })),
        },
      };
    case 'FINANCING_REVIEW':
      return { decision: 'COMMIT', data: { amountUsd: form.amountUsd } };
    case 'SBA_REFERRAL':
      return { decision: 'ACCEPT', comment: 'Referred to SBIC managers' };
    case 'ADVOCACY_REFERRAL':
      return { decision: 'ACCEPT' };
    case 'LICENSING_REVIEW':
      return { decision: 'PRIORITIZE' };
    default:
      throw new Error(`A clean lifecycle has no ${type} task`);
  }
}

/**
 * Before accepting an advocacy referral ITA asks the applicant for the advocacy questionnaire and the
 * anti-bribery agreement (docs/spec.md section 2.3a): both arms send this request and this answer first.
 */
export const APPLICANT_INFORMATION: Partial<Record<TaskType, { question: string; answer: string }>> = {
  ADVOCACY_REFERRAL: {
    question: 'Please send the Advocacy Questionnaire and the anti-bribery agreement signed by the bidder of record.',
    answer: 'Both are attached: questionnaire completed, agreement signed by the bidder of record and co-signed by the consortium.',
  },
};

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentiles in ms, one decimal. */
export function percentiles(samples: readonly number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 10) / 10 : 0;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

/** Latency samples by call name, kept per load phase (baseline, each step). */
export class Timings {
  private phase = 'baseline';
  private readonly samples = new Map<string, Map<string, number[]>>();

  enter(phase: string): void {
    this.phase = phase;
  }

  record(call: string, ms: number): void {
    const byCall = this.samples.get(this.phase) ?? new Map<string, number[]>();
    this.samples.set(this.phase, byCall);
    const list = byCall.get(call) ?? [];
    list.push(ms);
    byCall.set(call, list);
  }

  async time<T>(call: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.record(call, performance.now() - started);
    }
  }

  of(phase: string): Record<string, Percentiles> {
    return Object.fromEntries([...(this.samples.get(phase) ?? new Map<string, number[]>())].map(([call, ms]) => [call, percentiles(ms)]));
  }

  /** Every phase's samples of each call together. */
  overall(): Record<string, Percentiles> {
    const merged = new Map<string, number[]>();
    for (const byCall of this.samples.values()) for (const [call, ms] of byCall) merged.set(call, [...(merged.get(call) ?? []), ...ms]);
    return Object.fromEntries([...merged].map(([call, ms]) => [call, percentiles(ms)]));
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
