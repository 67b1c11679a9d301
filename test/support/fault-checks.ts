import { temporal } from '@temporalio/proto';
import { execFile } from 'node:child_process';
import { projectPath } from '../../libs/config/paths';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { Stack } from './stack';

const UPDATE_ACCEPTED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED;

/** Names of the Updates a workflow's history accepted, in order. */
export async function acceptedUpdates(stack: Stack, workflowId: string): Promise<string[]> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .filter((e) => e.eventType === UPDATE_ACCEPTED)
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '?');
}

/**
 * The pass criteria of every scenario, for one proposal: each task row once per (type, agency), each
 * completed task with exactly one accepted completeTask Update in its history and one TASK_OPENED /
 * TASK_COMPLETED audit event and proposal event; the submission audited once. Returns a summary line.
 */
export async function assertExactlyOnce(stack: Stack, proposalId: string): Promise<string> {
  const tasks = await stack.sql<{ id: string; type: string; agency: string; status: string; decision: string | null }>(
    'SELECT id, type, agency, status, decision FROM task WHERE proposal_id = $1',
    [proposalId],
  );
  const slots = tasks.map((t) => `${t.type}:${t.agency}`);
  expect(new Set(slots).size).toBe(slots.length);
  const audit = await stack.sql<{ action: string; subject_id: string; n: number }>(
    `SELECT action, subject_id, count(*)::int AS n FROM audit_event
      WHERE (subject_type = 'task' AND subject_id = ANY($1)) OR (subject_type = 'proposal' AND subject_id = $2)
      GROUP BY action, subject_id`,
    [tasks.map((t) => t.id), proposalId],
  );
  const auditCount = (action: string, subject: string) => audit.find((a) => a.action === action && a.subject_id === subject)?.n ?? 0;
  const events = await stack.sql<{ event_key: string; n: number }>(
    'SELECT event_key, count(*)::int AS n FROM proposal_event WHERE proposal_id = $1 GROUP BY event_key',
    [proposalId],
  );
  expect(events.filter((e) => e.n !== 1)).toEqual([]);
  expect(auditCount('PROPOSAL_SUBMITTED', proposalId)).toBe(1);
  let completed = 0;
  for (const task of tasks) {
    expect({ task: task.id, opened: auditCount('TASK_OPENED', task.id) }).toEqual({ task: task.id, opened: 1 });
    const updates = (await acceptedUpdates(stack, taskWorkflowId(task.id))).filter((name) => name === 'completeTask');
    if (task.status === 'COMPLETED') {
      completed += 1;
      expect({ task: task.id, completeUpdates: updates.length, audited: auditCount('TASK_COMPLETED', task.id) }).toEqual({
        task: task.id,
        completeUpdates: 1,
        audited: 1,
      });
      const outcome = (await stack.temporal.workflow.getHandle(taskWorkflowId(task.id)).result()) as { decision: string };
      expect(outcome.decision).toBe(task.decision);
    } else {
      expect(updates).toEqual([]);
      expect(auditCount('TASK_COMPLETED', task.id)).toBe(0);
    }
  }
  return `${tasks.length} task rows (${completed} completed), each decision once in history, read model and audit`;
}

function run(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [projectPath('dist', 'scripts', script)], { env, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout: stdout + stderr }),
    );
  });
}

export function stackEnv(stack: Stack): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: (stack as unknown as { env: NodeJS.ProcessEnv }).env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: stack.namespace,
  };
}

/** `npm run audit:verify` against the stack's database. */
export async function assertAuditChainValid(stack: Stack): Promise<string> {
  const result = await run('audit-verify.js', stackEnv(stack));
  expect(result).toMatchObject({ code: 0 });
  return result.stdout.trim();
}

/** `npm run reconcile` against the stack. */
export function runReconcile(stack: Stack): Promise<{ code: number; stdout: string }> {
  return run('reconcile.js', stackEnv(stack));
}

/** `npm run reconcile` against the stack: no difference between workflows and read model. */
export async function assertReconciled(stack: Stack): Promise<string> {
  const result = await runReconcile(stack);
  expect({ code: result.code, out: result.stdout }).toEqual({ code: 0, out: expect.stringContaining('reconcile: 0 difference(s)') });
  return result.stdout.trim().split('\n').pop() as string;
}

/** Whether any workflow of the stack's namespace is still running (none should be stuck). */
export async function runningWorkflows(stack: Stack, prefix = ''): Promise<string[]> {
  const ids: string[] = [];
  for await (const w of stack.temporal.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
    if (w.workflowId.startsWith(prefix)) ids.push(w.workflowId);
  }
  return ids;
}
