import { Client as PgClient } from 'pg';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { acceptedUpdates, assertAuditChainValid, assertExactlyOnce, assertReconciled, runningWorkflows } from '../support/fault-checks';
import { report } from '../support/fault-services';
import { concurOnEach, declineDesignation, kill9, respawn, retrying, REVIEWERS, reviewTasks } from '../support/fault-stack';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault: the API dies mid-request; concurrent and duplicate submissions', () => {
  let stack: Stack;
  const statuses: number[] = [];
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  it('duplicate submissions with one key, a crash after the Update is accepted, two users on one task', async () => {
    // Duplicate submissions with one Idempotency-Key: one proposal; the key with another body is 422.
    await stack.token('applicant.acme');
    const body = completeProposal();
    const dupes = await Promise.all(
      Array.from({ length: 4 }, () => stack.as('applicant.acme', 'POST', '/api/v1/proposals', body, { 'idempotency-key': 'fault-dupe-1' })),
    );
    expect(dupes.map((d) => d.status)).toEqual([201, 201, 201, 201]);
    const id = dupes[0].body.id as string;
    expect(new Set(dupes.map((d) => d.body.id))).toEqual(new Set([id]));
    const reused = await stack.as(
      'applicant.acme',
      'POST',
      '/api/v1/proposals',
      { ...body, title: 'Another title' },
      { 'idempotency-key': 'fault-dupe-1' },
    );
    expect(reused.status).toBe(422);
    expect((await stack.sql('SELECT id FROM proposal')).length).toBe(1);
    report(
      'duplicate submissions',
      '4 concurrent POST /proposals with one Idempotency-Key, then the key with another body',
      `one proposal ${id}, all 201; reuse answered ${reused.status}`,
    );

    const reviews = await reviewTasks(stack, id, 90_000);
    for (const user of [...Object.values(REVIEWERS), 'commerce.supervisor', 'commerce.decider']) await stack.token(user);

    // Kill the API after the Update is accepted and before it answers: the projection's row is held
    // locked meanwhile, so the Update cannot finish before the kill.
    const commerce = reviews.find((t) => t.agency === 'COMMERCE');
    const key = `fault-crash-${commerce.id}`;
    const send = () =>
      stack.as(
        'commerce.reviewer',
        'POST',
        `/api/v1/tasks/${commerce.id}/complete`,
        { decision: 'CONCUR', comment: 'fine' },
        { 'idempotency-key': key },
      );
    const lock = new PgClient({ connectionString: stack.databaseUrl });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('SELECT id FROM task WHERE id = $1 FOR UPDATE', [commerce.id]);
    const first = send().then(
      (res) => `answered ${res.status}`,
      (error: Error) => `connection lost (${(error.cause as Error)?.message ?? error.message})`,
    );
    await stack.eventually(
      'the Update accepted',
      async () => (await acceptedUpdates(stack, taskWorkflowId(commerce.id))).includes('completeTask'),
      20_000,
    );
    await kill9(stack, 'api');
    await lock.query('ROLLBACK');
    await lock.end();
    const firstOutcome = await first;
    await respawn(stack, 'api');
    const retried = await retrying('retry with the same key', send, statuses);
    expect(firstOutcome).toMatch(/connection lost/);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({
      id: commerce.id,
      status: 'COMPLETED',
      decision: 'CONCUR',
      comment: 'fine',
      assignee: 'commerce.reviewer',
    });
    // The same key again, concurrently: the original answer each time; with another body: 422.
    const again = await Promise.all([send(), send(), send()]);
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(again.every((r) => JSON.stringify(r.body) === JSON.stringify(retried.body))).toBe(true);
    const otherBody = await stack.as(
      'commerce.reviewer',
      'POST',
      `/api/v1/tasks/${commerce.id}/complete`,
      { decision: 'NON_CONCUR', comment: 'no' },
      { 'idempotency-key': key },
    );
    expect(otherBody.status).toBe(422);
    const noKey = await stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${commerce.id}/complete`, {
      decision: 'CONCUR',
      comment: 'fine',
    });
    expect(noKey.status).toBe(409);
    expect((await acceptedUpdates(stack, taskWorkflowId(commerce.id))).filter((u) => u === 'completeTask')).toHaveLength(1);
    report(
      'API kill -9 after the Update was accepted',
      `SIGKILL of the API once completeTask was accepted in ${taskWorkflowId(commerce.id)} (task row locked so it could not answer); first call: ${firstOutcome}`,
      `retry with the same Idempotency-Key answered ${retried.status} with the original outcome (3 more: ${again.map((r) => r.status).join(',')}); same key, other body ${otherBody.status}; no key ${noKey.status}; one completeTask in history`,
    );

    // Two users complete one task at once.
    const state = reviews.find((t) => t.agency === 'STATE');
    await stack.token('state.supervisor');
    const race = await Promise.all([
      stack.as('state.reviewer', 'POST', `/api/v1/tasks/${state.id}/complete`, { decision: 'CONCUR' }),
      stack.as('state.supervisor', 'POST', `/api/v1/tasks/${state.id}/complete`, { decision: 'NON_CONCUR', comment: 'diversion risk' }),
    ]);
    statuses.push(...race.map((r) => r.status));
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race.find((r) => r.status === 200)?.body;
    const row = (await stack.sql('SELECT decision, completed_by FROM task WHERE id = $1', [state.id]))[0];
    expect(row).toEqual({ decision: winner.decision, completed_by: winner.assignee });
    report(
      'two users complete one task at once',
      'state.reviewer (CONCUR) and state.supervisor (NON_CONCUR) at the same moment',
      `answers ${race.map((r) => r.status).join(' and ')}; ${row.completed_by}'s ${row.decision} stands alone`,
    );

    await concurOnEach(
      stack,
      reviews.filter((t) => t.id !== commerce.id && t.id !== state.id),
      statuses,
    );
    await declineDesignation(stack, id, statuses);
    await stack.eventually('no workflow stuck', async () => (await runningWorkflows(stack, 'proposal:')).length === 0, 30_000);
    await sleep(0);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    const once = await assertExactlyOnce(stack, id);
    const chain = await assertAuditChainValid(stack);
    const recon = await assertReconciled(stack);
    report('API crash and races: after recovery', 'API restarted', `proposal NOT_SELECTED; ${once}; audit ${chain}; ${recon}`);
  });
});
