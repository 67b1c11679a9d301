import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../libs/config';
import { workerTracing } from '../libs/temporal/tracing';

/**
 * Replays every recorded workflow history in test/histories against the current workflow code:
 * a change that is not replay-safe (and not guarded by `patched()`) fails here, before it can
 * break running workflows. Exit code 1 on any nondeterminism.
 */
async function main(): Promise<void> {
  const dir = projectPath('test', 'histories');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (!files.length) throw new Error(`No histories in ${dir}`);
  const histories = files.map((file) => ({
    workflowId: file.replace(/\.json$/, ''),
    history: JSON.parse(readFileSync(join(dir, file), 'utf8')),
  }));
  const results = Worker.runReplayHistories(
    { workflowBundle: { codePath: join(__dirname, '..', 'workflow-bundle.js') }, ...workerTracing() },
    histories,
  );
  let failed = 0;
  for await (const result of results) {
    if (result.error) {
      failed += 1;
      console.error(`FAIL ${result.workflowId}: ${result.error.message}`);
    } else {
      console.log(`ok   ${result.workflowId}`);
    }
  }
  console.log(`${files.length - failed} replayed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
