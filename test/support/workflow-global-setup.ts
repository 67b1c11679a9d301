// Global setup of the `workflows` Jest project: bundles workflows/ once (webpack, a few seconds)
// into a temporary file that every spec file's Workers load (test/support/workflow-harness.ts).
// Transformed by the project's swc transform, so it runs from source: no build needed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleWorkflows } from '../../libs/temporal/workflow-bundle';
import { WORKFLOW_BUNDLE_ENV } from './workflow-bundle';

export default async function workflowGlobalSetup(): Promise<void> {
  if (process.env[WORKFLOW_BUNDLE_ENV]) return;
  const code = await bundleWorkflows();
  const file = join(mkdtempSync(join(tmpdir(), 'exports-desk-workflows-')), 'workflow-bundle.js');
  writeFileSync(file, code);
  process.env[WORKFLOW_BUNDLE_ENV] = file;
  (globalThis as { __workflowBundleDir?: string }).__workflowBundleDir = dirname(file);
}
