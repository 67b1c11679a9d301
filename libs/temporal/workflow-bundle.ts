import { bundleWorkflowCode } from '@temporalio/worker';

/** Workflow interceptors: bundled in (a prebuilt bundle ignores WorkerOptions.interceptors.workflowModules), and given to a Worker that bundles itself. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../workflows/tracing.interceptors')];

/**
 * Bundles workflows/ (or a copy of it, at `workflowsPath`) with webpack and its interceptors, quietly
 * but for warnings and errors: the one recipe of the build, the workflow tests and the replay faults.
 */
export async function bundleWorkflows(workflowsPath = require.resolve('../../workflows')): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: {
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: console.warn,
      error: console.error,
      log: () => undefined,
    },
  });
  return code;
}
