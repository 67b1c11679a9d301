import type { WorkflowBundleOption } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { bundleWorkflows } from '../../libs/temporal/workflow-bundle';

/** Set by test/support/workflow-global-setup.ts: the path of the workflow bundle built once per run. */
export const WORKFLOW_BUNDLE_ENV = 'EXPORTS_DESK_TEST_WORKFLOW_BUNDLE';

let bundle: Promise<WorkflowBundleOption> | undefined;

/** The bundle of workflows/ from source: the one of the global setup, else bundled once for this file. */
export function workflowBundle(): Promise<WorkflowBundleOption> {
  const file = process.env[WORKFLOW_BUNDLE_ENV];
  if (file && existsSync(file)) return Promise.resolve({ codePath: file });
  bundle ??= bundleWorkflows().then((code) => ({ code }));
  return bundle;
}
