import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectPath } from '../../libs/config/paths';
import { REVIEWERS } from './designation';
import { completeProposal } from './fixtures';
import { Stack } from './stack';

export { REVIEWERS };

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

/** kill -9, `downMs` with the service gone, then the service again. */
export async function killAndRespawn(stack: Stack, service: Service, downMs = 1_000): Promise<void> {
  await kill9(stack, service);
  await sleep(downMs);
  await respawn(stack, service);
}

export function serviceLog(stack: Stack): string {
  return internals(stack).logFile;
}

/** Polls a workflow's description until `probe` holds; what it saw, or undefined at the deadline. */
export async function catchInFlight(stack: Stack, workflowId: string, probe: (raw: any) => string | undefined, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const seen = probe((await stack.temporal.workflow.getHandle(workflowId).describe()).raw);
    if (seen) return seen;
    await sleep(5);
  }
  return undefined;
}

/** A probe for catchInFlight: the activity's name while the workflow has it pending. */
export const pendingActivity =
  (name: string) =>
  (raw: any): string | undefined =>
    raw.pendingActivities?.some((a: { activityType?: { name?: string } }) => a.activityType?.name === name) ? name : undefined;

export async function submit(stack: Stack, { key, body = completeProposal() }: { key?: string; body?: object } = {}): Promise<string> {
  const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body, key ? { 'idempotency-key': key } : {});
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

/** Completes a task as `user`, retrying through an outage (answers go to `seen`); it ends 200. */
export async function decide(stack: Stack, user: string, task: { id: string; type?: string }, body: object, seen: number[]): Promise<void> {
  const res = await retrying(
    `complete ${task.type ?? task.id}`,
    () => stack.as(user, 'POST', `/api/v1/tasks/${task.id}/complete`, body),
    seen,
  );
  expect(res.status).toBe(200);
}

/** Concurs on each task as its agency's reviewer, retrying through an outage (answers go to `seen`); each ends 200. */
export async function concurOnEach(stack: Stack, tasks: { id: string; agency: string }[], seen: number[]): Promise<void> {
  for (const task of tasks) await decide(stack, REVIEWERS[task.agency], task, { decision: 'CONCUR' }, seen);
}

/** The proposal's tasks of this type that `user` sees OPEN or CLAIMED (reads retrying; answers go to `seen`). */
export async function openTasksOf(stack: Stack, user: string, id: string, type: string, seen: number[]): Promise<any[]> {
  const res = await retrying(`${type} tasks`, () => stack.as(user, 'GET', `/api/v1/tasks?proposalId=${id}&type=${type}&pageSize=50`), seen);
  return (res.body.items ?? []).filter((t: { status: string }) => t.status === 'OPEN' || t.status === 'CLAIMED');
}

/** Every review concurs and Commerce designates (retrying; answers go to `seen`); resolves at FINANCING with the tasks decided. */
export async function designateAfterConcurring(
  stack: Stack,
  id: string,
  seen: number[],
  timeoutMs = 90_000,
): Promise<{ reviews: any[]; decision: any }> {
  const reviews = await reviewTasks(stack, id, timeoutMs);
  await concurOnEach(stack, reviews, seen);
  const decision = await designationTask(stack, id, timeoutMs);
  await decide(stack, 'commerce.decider', decision, { decision: 'DESIGNATE' }, seen);
  await stack.eventually('FINANCING', async () => (await statusOf(stack, id)) === 'FINANCING', timeoutMs);
  return { reviews, decision };
}

/** ITA asks the applicant for the advocacy questionnaire and anti-bribery agreement (retrying; answers go to `seen`); the request (201). */
export async function askForAdvocacyDocuments(stack: Stack, id: string, seen: number[]): Promise<{ id: string; taskId: string }> {
  const question = 'Please send the Advocacy Questionnaire and the anti-bribery agreement signed by the bidder of record.';
  const asked = await retrying(
    'information request',
    () => stack.as('ita.officer', 'POST', `/api/v1/proposals/${id}/information-requests`, { question }),
    seen,
  );
  expect(asked.status).toBe(201);
  return asked.body;
}

/** The applicant answers an information request (retrying; answers go to `seen`); it ends 200. */
export async function answerInformationRequest(stack: Stack, id: string, requestId: string, seen: number[]): Promise<void> {
  const answer = 'Questionnaire completed; agreement signed by Acme Compute Inc. as bidder of record.';
  const answered = await retrying(
    'answer',
    () => stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/information-requests/${requestId}/answer`, { answer }),
    seen,
  );
  expect(answered.status).toBe(200);
}

/** Who decides each referral a designated package may get, and how (docs/spec.md sections 2.3a and 2.4). */
const REFERRAL_DECISIONS: { user: string; type: string; body: object }[] = [
  { user: 'edag.coordinator', type: 'FINANCING_ASSIGNMENT', body: { decision: 'ASSIGN', data: { assignments: [] } } },
  { user: 'sba.officer', type: 'SBA_REFERRAL', body: { decision: 'ACCEPT' } },
  { user: 'ita.officer', type: 'ADVOCACY_REFERRAL', body: { decision: 'ACCEPT' } },
  { user: 'bis.officer', type: 'LICENSING_REVIEW', body: { decision: 'PRIORITIZE', comment: 'Queued for the NAC fast lane' } },
];

/**
 * Decides every referral of a designated package as it opens, until the proposal is COMPLETED: EDAG
 * closes the financing assignment without routing an instrument, SBA and ITA accept (ITA once the
 * applicant has answered its information request), BIS prioritizes the licensing review. Retrying;
 * answers go to `seen`. Resolves with the tasks it decided.
 */
export async function completeBenefits(stack: Stack, id: string, seen: number[], timeoutMs = 90_000): Promise<any[]> {
  const decided: any[] = [];
  const deadline = Date.now() + timeoutMs;
  // Not stack.eventually: a refused decision must fail the scenario, not be polled again.
  while ((await statusOf(stack, id)) !== 'COMPLETED') {
    if (Date.now() > deadline)
      throw new Error(`${id} not COMPLETED after ${timeoutMs} ms; decided ${decided.map((t) => t.type).join(', ')}`);
    for (const { user, type, body } of REFERRAL_DECISIONS) {
      for (const task of await openTasksOf(stack, user, id, type, seen)) {
        await decide(stack, user, task, body, seen);
        decided.push(task);
      }
    }
    await sleep(250);
  }
  return decided;
}

/** Declines the proposal's designation (retrying, answers go to `seen`) and waits for NOT_SELECTED; returns the decision task. */
export async function declineDesignation(stack: Stack, id: string, seen: number[], timeoutMs = 60_000): Promise<any> {
  const decision = await designationTask(stack, id, timeoutMs);
  await decide(stack, 'commerce.decider', decision, { decision: 'DECLINE', comment: 'Not this round' }, seen);
  await stack.eventually('NOT_SELECTED', async () => (await statusOf(stack, id)) === 'NOT_SELECTED', 60_000);
  return decision;
}
