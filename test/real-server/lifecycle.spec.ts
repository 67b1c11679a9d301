import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { licenseFlaggedProposal } from '../support/designation';
import { assertAuditChainValid, assertExactlyOnce, assertReconciled, runningWorkflows } from '../support/fault-checks';
import {
  answerInformationRequest,
  askForAdvocacyDocuments,
  completeBenefits,
  designateAfterConcurring,
  kill9,
  openTasksOf,
  statusOf,
  submit,
} from '../support/fault-stack';
import type { RealServerState } from '../support/real-server-global-setup';
import { startRealServer, stopRealServer } from '../support/real-temporal';
import { Stack } from '../support/stack';

const PROPOSALS = 4;
const STEP_TIMEOUT_MS = 180_000;
const SERVER_DOWN_MS = 5_000;

const say = (line: string) => console.log(`[real-server] ${line}`);

/**
 * Designation, then every benefit decided (ITA once the applicant has answered its information
 * request) until COMPLETED, all through one API, retrying through outages; the tasks it decided.
 */
async function driveToCompleted(stack: Stack, id: string, seen: number[]): Promise<any[]> {
  const { reviews, decision } = await designateAfterConcurring(stack, id, seen, STEP_TIMEOUT_MS);
  await stack.eventually(
    `the advocacy referral of ${id}`,
    async () => (await openTasksOf(stack, 'ita.officer', id, 'ADVOCACY_REFERRAL', seen)).length > 0,
    STEP_TIMEOUT_MS,
  );
  const request = await askForAdvocacyDocuments(stack, id, seen);
  await answerInformationRequest(stack, id, request.id, seen);
  const referrals = await completeBenefits(stack, id, seen, STEP_TIMEOUT_MS);
  return [...reviews, decision, ...referrals];
}

describe('real server: the lifecycle on temporal-server (four service processes) with two workers and two APIs', () => {
  const state = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as RealServerState;
  const stacks: Stack[] = [];
  const statuses: number[] = [];
  beforeAll(async () => {
    // Both APIs now count one shared budget per client (127.0.0.1 here), reads included.
    const first = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', THROTTLE_READS_PER_MINUTE: '100000' });
    stacks.push(first, await first.replica());
  });
  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
  });

  it('every proposal completes across a worker kill -9 and a server restart: nothing lost or duplicated, no reconciliation diff', async () => {
    const [a, b] = stacks;
    const ids: string[] = [];
    for (let i = 0; i < PROPOSALS; i++) ids.push(await submit(stacks[i % 2], { body: licenseFlaggedProposal() }));
    say(`filed ${PROPOSALS} proposals alternately through API ${a.baseUrl} and API ${b.baseUrl}`);
    // Each proposal is decided through the other API than it was filed through.
    const drives = Promise.allSettled(ids.map((id, i) => driveToCompleted(stacks[(i + 1) % 2], id, statuses)));
    const summary = async () => (await Promise.all(ids.map((id) => statusOf(a, id)))).join(', ');

    // Mid-run: once a proposal is designated (its benefits opening), the others still on their way.
    await a.eventually(
      'a designated proposal',
      async () => (await Promise.all(ids.map((id) => statusOf(a, id)))).some((s) => s === 'FINANCING' || s === 'COMPLETED'),
      STEP_TIMEOUT_MS,
    );
    const workerPid = (b as unknown as { worker: { pid: number } }).worker.pid;
    const atKill = await summary();
    await kill9(b, 'worker');
    say(`kill -9 of worker process ${workerPid} (replica 2) with the proposals at ${atKill}; worker of replica 1 carries on alone`);
    await sleep(2_000);
    const atRestart = await summary();
    const stopped = await stopRealServer(state.server);
    await sleep(SERVER_DOWN_MS);
    const restartedAt = Date.now();
    const started = await startRealServer(state.server);
    say(
      `kill -9 of the temporal-server processes ${stopped.join(', ')} (frontend, history, matching, worker) with the proposals at ` +
        `${atRestart}; down ${SERVER_DOWN_MS / 1000} s; restarted as ${Object.values(started).join(', ')}, SERVING after ${Math.round((Date.now() - restartedAt) / 1000)} s`,
    );

    const results = await drives;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw failed[0].reason;
    const decided = (results as PromiseFulfilledResult<any[]>[]).map((r) => r.value);

    // Nothing lost: every proposal COMPLETED in the read model and in Temporal, every task workflow closed.
    expect(await summary()).toBe(ids.map(() => 'COMPLETED').join(', '));
    // Only proposals and tasks must close: the program plan runs for its program's life (the default
    // plan both APIs raced to create at start-up, once: one row, one workflow).
    expect(await a.sql('SELECT count(*)::int AS n FROM program')).toEqual([{ n: 1 }]);
    expect(await runningWorkflows(a, 'program:')).toHaveLength(1);
    const open = async () => [...(await runningWorkflows(a, 'proposal:')), ...(await runningWorkflows(a, 'task:'))];
    let stillOpen: string[] = [];
    await a.eventually('every workflow closed', async () => (stillOpen = await open()).length === 0, 60_000).catch(() => undefined);
    expect(stillOpen).toEqual([]);
    for (const [i, id] of ids.entries()) {
      expect((await a.temporal.workflow.getHandle(proposalWorkflowId(id)).describe()).status.name).toBe('COMPLETED');
      for (const task of decided[i])
        expect((await a.temporal.workflow.getHandle(taskWorkflowId(task.id)).describe()).status.name).toBe('COMPLETED');
    }
    expect(await a.sql('SELECT count(*)::int AS n FROM proposal')).toEqual([{ n: PROPOSALS }]);

    // Nothing duplicated: per proposal each task once, each decision once in history, read model and audit;
    // and no audit event twice on one subject (the proposal, its tasks, its information requests) with
    // the same before and after (a status change is one action with a different pair per step).
    const once: string[] = [];
    for (const id of ids) once.push(await assertExactlyOnce(a, id));
    const duplicates = await a.sql(
      `SELECT action, subject_type, subject_id, before, after, count(*)::int AS n FROM audit_event
        WHERE subject_id = ANY($1::text[])
           OR subject_id IN (SELECT id::text FROM task WHERE proposal_id::text = ANY($1::text[]))
           OR subject_id IN (SELECT id::text FROM information_request WHERE proposal_id::text = ANY($1::text[]))
        GROUP BY action, subject_type, subject_id, before, after HAVING count(*) > 1`,
      [ids],
    );
    expect(duplicates).toEqual([]);
    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const chain = await assertAuditChainValid(a);
    const recon = await assertReconciled(a);
    say(
      `checked: ${PROPOSALS} proposals COMPLETED in read model and Temporal, ${decided.flat().length} tasks decided, every proposal and task workflow closed, one program plan; ` +
        `per proposal ${[...new Set(once)].join(' / ')}; no audit event twice on a subject; HTTP answers ${[...new Set(statuses)].sort().join(',')}; audit ${chain}; ${recon}`,
    );
  });
});
