import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prebuilds the workflow bundle so the production Worker starts without webpack. */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
      log: () => undefined,
    },
  });
  writeFileSync(join(__dirname, '..', 'workflow-bundle.js'), code);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
