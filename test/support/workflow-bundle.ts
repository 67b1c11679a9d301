import { bundleWorkflowCode, WorkflowBundleOption } from '@temporalio/worker';
import { existsSync } from 'node:fs';

/** Set by test/support/workflow-global-setup.ts: the path of the workflow bundle built once per run. */
export const WORKFLOW_BUNDLE_ENV = 'EXPORTS_DESK_TEST_WORKFLOW_BUNDLE';

let bundle: Promise<WorkflowBundleOption> | undefined;

/** The bundle of workflows/ from source: the one of the global setup, else bundled once for this file. */
export function workflowBundle(): Promise<WorkflowBundleOption> {
  const file = process.env[WORKFLOW_BUNDLE_ENV];
  if (file && existsSync(file)) return Promise.resolve({ codePath: file });
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
      log: () => undefined,
    },
  }).then(({ code }) => ({ code }));
  return bundle;
}
