import { bundleWorkflowCode } from '@temporalio/worker';

/** Workflow interceptors: bundled in (a prebuilt bundle ignores WorkerOptions.interceptors.workflowModules), and given to a Worker that bundles itself. */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../workflows/tracing.interceptors')];

/** Bundles workflows/ with webpack, quietly but for warnings and errors: the build's and the workflow tests' one recipe. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
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
