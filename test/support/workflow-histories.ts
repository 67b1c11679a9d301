import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';

type History = temporal.api.history.v1.IHistory;

/**
 * With RECORD_HISTORIES=1, saves a finished workflow's history (proto3 JSON, like
 * test/support/histories.ts does for the integration tier) into test/histories, where
 * test/integration/replay.spec.ts replays it against the current bundle; otherwise does nothing.
 */
export async function saveHistory(handle: Pick<WorkflowHandle, 'fetchHistory'>, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const { historyToJSON } = await import('@temporalio/common/lib/proto-utils');
  writeFileSync(join(projectPath('test', 'histories'), `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

/** The ids of the patch markers (`patched()`) a history recorded, in order. */
export function patchMarkers(history: History): string[] {
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}
