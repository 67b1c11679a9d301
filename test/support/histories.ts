import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';
import type { Stack } from './stack';

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history (proto3 JSON) into test/histories
 * for the replay test; otherwise does nothing. Re-record when workflow code changes on purpose.
 */
export async function recordHistory(stack: Stack, workflowId: string, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  const { historyToJSON } = await import('@temporalio/common/lib/proto-utils');
  writeFileSync(join(projectPath('test', 'histories'), `${name}.json`), historyToJSON(history));
}
