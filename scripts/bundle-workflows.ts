import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflows } from '../libs/temporal/workflow-bundle';

/** Prebuilds the workflow bundle so the production Worker starts without webpack. */
async function main(): Promise<void> {
  writeFileSync(join(__dirname, '..', 'workflow-bundle.js'), await bundleWorkflows());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
