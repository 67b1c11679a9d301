import { bundleWorkflowCode } from '@temporalio/worker';

/** Bundles workflows/ with webpack, quietly but for warnings and errors: the build's and the workflow tests' one recipe. */
export async function bundleWorkflows(): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
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
