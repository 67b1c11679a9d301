import { Worker } from '@temporalio/worker';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';
import { workerTracing } from '../../libs/temporal/tracing';
import { bundleWorkflows } from '../../libs/temporal/workflow-bundle';
import { report } from '../support/fault-services';

const TASK_WORKFLOW = join('tasks', 'human-task.workflow.ts');
const ANCHOR = 'const deadlines = await tasks.openTask(input);';
const EXTRA_CALL = "await tasks.recordSlaEvent({ taskId: input.taskId, proposalId: input.proposalId, event: 'REMINDER' });";

/** Bundles, as the build does, a copy of workflows/ whose task workflow runs `inserted` first; imports outside workflows/ point back at the project. */
async function bundleVariant(inserted: string): Promise<string> {
  // Inside the project so that webpack resolves @temporalio/* from its node_modules.
  const dir = mkdtempSync(projectPath('dist', '.fault-replay-'));
  try {
    cpSync(projectPath('workflows'), dir, { recursive: true });
    for (const sub of readdirSync(dir, { recursive: true }) as string[]) {
      if (!sub.endsWith('.ts')) continue;
      const file = join(dir, sub);
      let source = readFileSync(file, 'utf8').replace(/from '\.\.\/\.\.\/(libs|activities)\//g, `from '${projectPath()}/$1/`);
      if (sub === TASK_WORKFLOW) {
        expect(source).toContain(ANCHOR);
        source = source.replace(ANCHOR, `${inserted}\n    ${ANCHOR}`);
      }
      writeFileSync(file, source);
    }
    return await bundleWorkflows(join(dir, 'index.ts'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function replay(code: string): Promise<{ workflowId: string; error?: string }[]> {
  const dir = projectPath('test', 'histories');
  const histories = readdirSync(dir)
    .filter((f) => f.startsWith('task-') && f.endsWith('.json'))
    .map((f) => ({ workflowId: f.replace(/\.json$/, ''), history: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
  const results: { workflowId: string; error?: string }[] = [];
  for await (const r of Worker.runReplayHistories({ workflowBundle: { code }, ...workerTracing() }, histories)) {
    results.push({ workflowId: r.workflowId, error: r.error ? `${r.error.name}: ${r.error.message}` : undefined });
  }
  return results;
}

describe('fault: a workflow change that is not replay-safe', () => {
  it('fails the replay of recorded histories unguarded, and passes behind patched()', async () => {
    const unguarded = await replay(await bundleVariant(EXTRA_CALL));
    expect(unguarded.length).toBeGreaterThanOrEqual(3);
    for (const r of unguarded) expect(r.error).toMatch(/DeterminismViolation/);
    const guarded = await replay(await bundleVariant(`if (patched('fault-suite-extra-call')) ${EXTRA_CALL}`));
    expect(guarded).toEqual(unguarded.map((r) => ({ workflowId: r.workflowId, error: undefined })));
    report(
      'replay safety',
      `an extra activity call before openTask in the task workflow, bundled from a copy of workflows/, replayed against ${unguarded.length} recorded task histories`,
      `unguarded: ${unguarded.length} DeterminismViolations (${unguarded[0].error?.slice(0, 90)}…); behind patched(): ${guarded.length} replayed cleanly`,
    );
  });
});
