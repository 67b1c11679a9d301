import { Client as PgClient } from 'pg';
import { execFile } from 'node:child_process';
import { projectPath } from '../../libs/config/paths';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { runReconcile, stackEnv } from '../support/fault-checks';
import { report } from '../support/fault-services';
import { REVIEWERS, reviewTasks, submit } from '../support/fault-stack';
import { Stack } from '../support/stack';

function verifyCli(stack: Stack): Promise<{ code: number; verdict: any }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [projectPath('dist', 'scripts', 'audit-verify.js')], { env: stackEnv(stack) }, (error, stdout) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, verdict: JSON.parse(stdout) }),
    );
  });
}

describe('fault: audit tampering', () => {
  let stack: Stack;
  let pg: PgClient;
  const sql = async (text: string, params: unknown[] = []) => (await pg.query(text, params)).rows;
  /**
   * As a superuser who switches triggers off for one transaction (docs/spec.md section 4): the
   * append-only ones and the foreign keys that tie the chain to its events.
   */
  const tamper = async (...statements: [string, unknown[]][]) => {
    await sql('BEGIN');
    try {
      await sql('SET LOCAL session_replication_role = replica');
      for (const [text, params] of statements) await sql(text, params);
      await sql('COMMIT');
    } catch (error) {
      await sql('ROLLBACK');
      throw error;
    }
  };
  const rowJson = async (id: string) => (await sql('SELECT to_jsonb(e) AS row FROM audit_event e WHERE id = $1', [id]))[0].row;
  const linkJson = async (id: string) => (await sql('SELECT to_jsonb(c) AS row FROM audit_chain c WHERE event_id = $1', [id]))[0].row;
  /** Puts a deleted event and its chain link back, byte for byte. */
  const restore = async (event: unknown, link: unknown) => {
    await sql('INSERT INTO audit_event OVERRIDING SYSTEM VALUE SELECT * FROM jsonb_populate_record(NULL::audit_event, $1)', [event]);
    await sql('INSERT INTO audit_chain SELECT * FROM jsonb_populate_record(NULL::audit_chain, $1)', [link]);
  };
  /** The sealed chain's head: what an auditor exports. */
  const head = async () =>
    (await sql('SELECT c.event_id::text AS id, c.hash FROM audit_chain c ORDER BY c.position DESC LIMIT 1'))[0] as {
      id: string;
      hash: string;
    };
  /** The worker's sealer runs every AUDIT_SEAL_INTERVAL_MS; a tampered row must be sealed first to be caught by the chain. */
  const sealed = () =>
    stack.eventually('every audit event sealed', async () => {
      const result = await verifyCli(stack);
      return result.verdict.pending === 0 && result;
    });
  /** Every decision in a task workflow's history has its TASK_COMPLETED audit event. */
  const unaudited = async (taskIds: string[]) => {
    const missing: string[] = [];
    for (const taskId of taskIds) {
      const outcome = (await stack.temporal.workflow.getHandle(taskWorkflowId(taskId)).result()) as { decision: string };
      const [{ n }] = await sql(
        `SELECT count(*)::int AS n FROM audit_event WHERE subject_type = 'task' AND subject_id = $1 AND action = 'TASK_COMPLETED'`,
        [taskId],
      );
      if (n !== 1) missing.push(`${taskId} (${outcome.decision})`);
    }
    return missing;
  };

  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
    pg = new PgClient({ connectionString: stack.databaseUrl });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end();
    await stack?.stop();
  });

  it('detects an edited row, a deleted row and a truncated tail', async () => {
    const id = await submit(stack);
    const reviews = await reviewTasks(stack, id, 90_000);
    const decided = reviews.slice(0, 2);
    for (const task of decided) {
      expect((await stack.as(REVIEWERS[task.agency], 'POST', `/api/v1/tasks/${task.id}/complete`, { decision: 'CONCUR' })).status).toBe(
        200,
      );
    }
    await stack.eventually('both decisions audited', async () => (await unaudited(decided.map((t) => t.id))).length === 0);
    const intact = await sealed();
    expect(intact).toMatchObject({ code: 0, verdict: { valid: true, pending: 0 } });
    expect(intact.verdict.sealed).toBe(intact.verdict.events);
    const anchor = await head(); // what an auditor exported last: the head of the chain
    await expect(sql('UPDATE audit_event SET reason = $1 WHERE id = $2', ['x', anchor.id])).rejects.toThrow(/append-only/);

    // Edit: one field of one row.
    const [{ id: edited }] = await sql(
      `SELECT e.id::text AS id FROM audit_event e WHERE e.action = 'TASK_COMPLETED' ORDER BY e.id LIMIT 1`,
    );
    const original = await rowJson(edited);
    await tamper([`UPDATE audit_event SET after = '{"status":"COMPLETED","decision":"NON_CONCUR"}' WHERE id = $1`, [edited]]);
    const afterEdit = await verifyCli(stack);
    expect(afterEdit).toMatchObject({ code: 2, verdict: { valid: false, firstBrokenAt: edited } });
    await tamper(['UPDATE audit_event SET after = $2 WHERE id = $1', [edited, JSON.stringify(original.after)]]);
    expect(await verifyCli(stack)).toMatchObject({ code: 0, verdict: intact.verdict });

    // Delete: an event in the middle of the chain, with its link.
    const [{ id: deleted }, { id: next }] = await sql(
      `SELECT c.event_id::text AS id FROM audit_chain c ORDER BY c.position OFFSET 3 LIMIT 2`,
    );
    const [removed, removedLink] = [await rowJson(deleted), await linkJson(deleted)];
    await tamper(['DELETE FROM audit_chain WHERE event_id = $1', [deleted]], ['DELETE FROM audit_event WHERE id = $1', [deleted]]);
    const afterDelete = await verifyCli(stack);
    expect(afterDelete).toMatchObject({ code: 2, verdict: { valid: false, firstBrokenAt: next } });
    await restore(removed, removedLink);
    expect(await verifyCli(stack)).toMatchObject({ code: 0, verdict: intact.verdict });

    // Truncate the tail, links and all: the remaining chain is internally consistent, but a signed
    // checkpoint still vouches for the positions that are gone. The exported head and the workflow
    // histories (each decision must be audited) tell as well.
    const [{ position: cut }] = await sql(
      `SELECT c.position::text AS position FROM audit_chain c JOIN audit_event e ON e.id = c.event_id
        WHERE e.action = 'TASK_COMPLETED' ORDER BY c.position DESC LIMIT 1`,
    );
    const [{ n: cutCount }] = await sql('SELECT count(*)::int AS n FROM audit_chain WHERE position >= $1', [cut]);
    await tamper(
      ['DELETE FROM audit_event WHERE id IN (SELECT event_id FROM audit_chain WHERE position >= $1)', [cut]],
      ['DELETE FROM audit_chain WHERE position >= $1', [cut]],
    );
    const afterTruncate = await verifyCli(stack);
    const headNow = await head();
    const missing = await unaudited(decided.map((t) => t.id));
    expect(afterTruncate).toMatchObject({
      code: 2,
      verdict: {
        valid: false,
        problem: expect.stringMatching(new RegExp(`^checkpoint \\d+ covers position \\d+ but the chain ends at ${Number(cut) - 1}$`)),
      },
    });
    expect(headNow.hash).not.toBe(anchor.hash);
    expect(afterTruncate.verdict.events).toBe(intact.verdict.events - cutCount);
    expect(missing).toHaveLength(1);
    report(
      'audit tampering',
      `as superuser with triggers off: edited row ${edited}, deleted row ${deleted} and its link, deleted the last ${cutCount} events and links (from position ${cut})`,
      `edit -> audit:verify exit ${afterEdit.code}, first broken ${afterEdit.verdict.firstBrokenAt}; delete -> exit ${afterDelete.code}, first broken ${afterDelete.verdict.firstBrokenAt}; truncation -> exit ${afterTruncate.code}, ${afterTruncate.verdict.problem} (${afterTruncate.verdict.events} of ${intact.verdict.events} events), also seen by the exported head (${anchor.id} no longer the head) and by the workflow histories: decision of task ${missing.join(', ')} has no audit event`,
    );
  });

  it('reconcile reports a read model that drifted from its workflows, and exits 0 once it agrees again', async () => {
    const [open] = await sql(`SELECT id::text AS id, assignee FROM task WHERE status = 'OPEN' LIMIT 1`);
    const [proposal] = await sql(`SELECT id::text AS id, status FROM proposal LIMIT 1`);
    await sql(`UPDATE task SET assignee = 'someone.else' WHERE id = $1`, [open.id]);
    await sql(`UPDATE proposal SET status = 'FINANCING' WHERE id = $1`, [proposal.id]);
    const drifted = await runReconcile(stack);
    await sql(`UPDATE task SET assignee = $2 WHERE id = $1`, [open.id, open.assignee]);
    await sql(`UPDATE proposal SET status = $2 WHERE id = $1`, [proposal.id, proposal.status]);
    const agreed = await runReconcile(stack);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain(`DIFF task ${open.id}: workflow's assignee is nobody, inbox says someone.else`);
    expect(drifted.stdout).toContain(`DIFF proposal ${proposal.id}: workflow says ${proposal.status}, read model says FINANCING`);
    expect(drifted.stdout).toContain('reconcile: 2 difference(s)');
    expect(agreed).toMatchObject({ code: 0 });
    report(
      'reconcile',
      `read model edited behind the workflows' back: task ${open.id} assignee, proposal ${proposal.id} status`,
      `reconcile exit ${drifted.code} with both diffs; exit ${agreed.code} once restored`,
    );
  });
});
