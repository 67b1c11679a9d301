import { rmSync } from 'node:fs';
import { WORKFLOW_BUNDLE_ENV } from './workflow-bundle';

/** Removes the workflow bundle the `workflows` project's global setup wrote. */
export default function workflowGlobalTeardown(): void {
  const dir = (globalThis as { __workflowBundleDir?: string }).__workflowBundleDir;
  if (!dir) return;
  rmSync(dir, { recursive: true, force: true });
  delete process.env[WORKFLOW_BUNDLE_ENV];
}
