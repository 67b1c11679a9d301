import { Client } from '@temporalio/client';
import { loadConfig } from '../libs/config';
import { proposalStateQuery } from '../libs/contracts/intake';
import { taskStateQuery } from '../libs/contracts/tasks';
import { Database, openDatabase } from '../libs/db';
import { connectClient } from '../libs/temporal';

/** A difference between a running workflow's state and the read model. */
export interface Diff {
  subject: string;
  problem: string;
}

const PROPOSAL = /^proposal:(.+)$/;
const TASK = /^task:(.+)$/;
/** Projections trail their workflow by an activity: a diff must persist over this long to count. */
const SETTLE_MS = 3_000;

/**
 * Compares every open proposal and task workflow (its proposalState / taskState Query) with the read
 * model: status, open tasks and their assignees, pending financing rows. Workflows of other kinds are
 * not projected this way and are skipped.
 */
export async function findDiffs(client: Client, db: Database): Promise<Diff[]> {
  const diffs: Diff[] = [];
  const runningProposals = new Map<string, string>();
  const runningTasks = new Map<string, { status: string; assignee: string | null }>();
  for await (const execution of client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    const proposal = PROPOSAL.exec(execution.workflowId);
    const task = TASK.exec(execution.workflowId);
    if (!proposal && !task) continue;
    const handle = client.workflow.getHandle(execution.workflowId, execution.runId);
    try {
      if (proposal) runningProposals.set(proposal[1], (await handle.query(proposalStateQuery)).status);
      else if (task) {
        const state = await handle.query(taskStateQuery);
        runningTasks.set(task[1], { status: state.status, assignee: state.assignee });
      }
    } catch (error) {
      diffs.push({ subject: execution.workflowId, problem: `cannot query its state: ${(error as Error).message}` });
    }
  }

  const proposalRows = new Map((await db.reconciliation.proposalsByIds([...runningProposals.keys()])).map((r) => [r.id, r]));
  for (const [id, status] of runningProposals) {
    const row = proposalRows.get(id);
    if (!row) diffs.push({ subject: `proposal ${id}`, problem: `workflow is running (${status}) but the read model has no row` });
    else if (row.status !== status)
      diffs.push({ subject: `proposal ${id}`, problem: `workflow says ${status}, read model says ${row.status}` });
  }
  for (const row of await db.reconciliation.openProposals()) {
    if (!runningProposals.has(row.id)) {
      diffs.push({ subject: `proposal ${row.id}`, problem: `read model says ${row.status} but no workflow is running` });
    }
  }

  const taskRows = new Map((await db.reconciliation.tasksByIds([...runningTasks.keys()])).map((r) => [r.id, r]));
  for (const [id, state] of runningTasks) {
    const row = taskRows.get(id);
    if (!row) {
      diffs.push({ subject: `task ${id}`, problem: `workflow is running (${state.status}) but the inbox has no row` });
      continue;
    }
    if (row.status !== state.status)
      diffs.push({ subject: `task ${id}`, problem: `workflow says ${state.status}, inbox says ${row.status}` });
    if ((row.assignee ?? null) !== (state.assignee ?? null)) {
      diffs.push({
        subject: `task ${id}`,
        problem: `workflow's assignee is ${state.assignee ?? 'nobody'}, inbox says ${row.assignee ?? 'nobody'}`,
      });
    }
  }
  for (const row of await db.reconciliation.openTasks()) {
    if (!runningTasks.has(row.id)) {
      diffs.push({ subject: `task ${row.id}`, problem: `inbox says ${row.status} (${row.type}) but no task workflow is running` });
    }
  }

  for (const row of await db.reconciliation.pendingFinancing()) {
    const status = runningProposals.get(row.proposalId);
    if (status !== 'FINANCING') {
      diffs.push({
        subject: `financing ${row.id}`,
        problem: `PENDING, but proposal ${row.proposalId}'s workflow is ${status ? `in ${status}` : 'not running'}`,
      });
    }
  }
  return diffs;
}

const key = (d: Diff) => `${d.subject}: ${d.problem}`;

/** `npm run reconcile`: prints the diffs that persist over SETTLE_MS; exit 0 only with none. */
async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl);
  const client = await connectClient(config.temporal);
  try {
    let diffs = await findDiffs(client, db);
    if (diffs.length) {
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const again = new Set((await findDiffs(client, db)).map(key));
      diffs = diffs.filter((d) => again.has(key(d)));
    }
    for (const diff of diffs) console.log(`DIFF ${key(diff)}`);
    console.log(`reconcile: ${diffs.length} difference(s)`);
    return diffs.length ? 1 : 0;
  } finally {
    await client.connection.close();
    await db.close();
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 2;
    },
  );
}
