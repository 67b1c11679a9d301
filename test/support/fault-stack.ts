import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { projectPath } from '../../libs/config/paths';
import { completeProposal } from './fixtures';
import { Stack } from './stack';

/** The harness's private parts a fault scenario needs to kill processes one at a time. */
interface StackInternals {
  env: NodeJS.ProcessEnv;
  logFile: string;
  api: ChildProcess;
  worker: ChildProcess;
}

export type Service = 'api' | 'worker';
const SCRIPTS: Record<Service, string> = { api: 'apps/api/src/main.js', worker: 'apps/worker/src/main.js' };

const internals = (stack: Stack) => stack as unknown as StackInternals;

/** SIGKILL (kill -9): no shutdown hooks, no draining. Resolves once the process is gone. */
export function kill9(stack: Stack, service: Service): Promise<void> {
  const child = internals(stack)[service];
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Starts the service again with the stack's environment (same database and namespace). */
export async function respawn(stack: Stack, service: Service): Promise<void> {
  const s = internals(stack);
  const log = openSync(s.logFile, 'a');
  s[service] = spawn(process.execPath, ['--enable-source-maps', projectPath('dist', SCRIPTS[service])], {
    env: s.env,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (service === 'api') await stack.waitHealthy();
}

export function serviceLog(stack: Stack): string {
  return internals(stack).logFile;
}

export const REVIEWERS: Record<string, string> = {
  COMMERCE: 'commerce.reviewer',
  STATE: 'state.reviewer',
  OSTP: 'ostp.reviewer',
  DOD: 'dod.reviewer',
  DOE: 'doe.reviewer',
};

export async function submit(stack: Stack, key?: string): Promise<string> {
  const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal(), key ? { 'idempotency-key': key } : {});
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function statusOf(stack: Stack, id: string): Promise<string | undefined> {
  const res = await stack.as('commerce.decider', 'GET', `/api/v1/proposals/${id}`);
  return res.status === 200 ? res.body.status : undefined;
}

export async function reviewTasks(stack: Stack, id: string, timeoutMs = 60_000): Promise<any[]> {
  return stack.eventually(
    `five review tasks of ${id}`,
    async () => {
      const all = await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`);
      const reviews = all.status === 200 && all.body.items.filter((t: { type: string }) => t.type !== 'DESIGNATION_DECISION');
      return reviews && reviews.length === 5 && reviews;
    },
    timeoutMs,
  );
}

export async function designationTask(stack: Stack, id: string, timeoutMs = 60_000): Promise<any> {
  return stack.eventually(
    `the designation task of ${id}`,
    async () => (await stack.as('commerce.decider', 'GET', `/api/v1/tasks?proposalId=${id}&type=DESIGNATION_DECISION`)).body.items?.[0],
    timeoutMs,
  );
}

/** Retries a request while it answers retryably (409 excepted: that is an answer); fails on any 5xx other than 503. */
export async function retrying(
  what: string,
  send: () => Promise<{ status: number; headers: Headers; body: any }>,
  seen: number[],
  timeoutMs = 90_000,
): Promise<{ status: number; body: any; headers: Headers }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let res: { status: number; body: any; headers: Headers } | undefined;
    try {
      res = await send();
    } catch {
      // connection refused (API process down): retry
    }
    if (res) {
      seen.push(res.status);
      if (res.status >= 500 && res.status !== 503) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status !== 503 && res.status !== 429) return res;
    }
    if (Date.now() > deadline) throw new Error(`${what}: still unavailable after ${timeoutMs} ms (${seen.join(',')})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Concurs on each task as its agency's reviewer, retrying through an outage (answers go to `seen`); each ends 200. */
export async function concurOnEach(stack: Stack, tasks: { id: string; agency: string }[], seen: number[]): Promise<void> {
  for (const task of tasks) {
    const res = await retrying(
      'complete',
      () => stack.as(REVIEWERS[task.agency], 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' }),
      seen,
    );
    expect(res.status).toBe(200);
  }
}

/** Declines the proposal's designation (retrying, answers go to `seen`) and waits for NOT_SELECTED; returns the decision task. */
export async function declineDesignation(stack: Stack, id: string, seen: number[], timeoutMs = 60_000): Promise<any> {
  const decision = await designationTask(stack, id, timeoutMs);
  const declined = await retrying(
    'decline',
    () => stack.as('commerce.decider', 'POST', `/api/v1/tasks/${decision.id}/complete`, { decision: 'DECLINE', comment: 'Not this round' }),
    seen,
  );
  expect(declined.status).toBe(200);
  await stack.eventually('NOT_SELECTED', async () => (await statusOf(stack, id)) === 'NOT_SELECTED', 60_000);
  return decision;
}
