import {
  continueAsNew,
  defineQuery,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { RescreenActivityFunctions } from '../../activities/screening/rescreen.activities';
import { INTAKE_TASK_QUEUE } from '../../libs/contracts/intake';
import {
  NewlyMatched,
  RESCREEN_PAGE_SIZE,
  RESCREEN_PAGES_PER_RUN,
  RescreenInput,
  RescreenProgress,
  rescreenWatchWorkflowId,
} from '../../libs/contracts/screening';
import {
  RESCREEN_DONE_ATTRIBUTE,
  RESCREEN_NEW_MATCHES_ATTRIBUTE,
  RESCREEN_TOTAL_ATTRIBUTE,
  STAGE_ATTRIBUTE,
} from '../../libs/contracts/search-attributes';
import { PROPOSAL_ACTIVITY } from '../activity-options';
import { rescreenWatchWorkflow } from './rescreen-watch.workflow';

const rescreen = proxyActivities<RescreenActivityFunctions>(PROPOSAL_ACTIVITY);

/** The batch's progress and keyset cursor, for the Temporal UI and tests. */
export const rescreenProgressQuery = defineQuery<RescreenProgress & { after: string | null }>('rescreenProgress');

/**
 * One batch per activated list version (id `rescreen:<listVersionId>`, docs/spec.md section 2.4a):
 * re-screens every proposal still open to screening, one keyset page per activity (retried on
 * failure; a retried page records nothing twice), starts one watch per newly matched proposal, and
 * continues as new with its cursor every `pagesPerRun` pages, so a failure or a long list resumes
 * where it was and never starts again from the first proposal.
 */
export async function rescreenListWorkflow(input: RescreenInput): Promise<RescreenProgress> {
  const { listVersionId } = input;
  const pageSize = input.pageSize ?? RESCREEN_PAGE_SIZE;
  const pagesPerRun = input.pagesPerRun ?? RESCREEN_PAGES_PER_RUN;
  let after = input.after ?? null;
  let progress: RescreenProgress = { total: 0, done: 0, newMatches: 0 };
  setHandler(rescreenProgressQuery, () => ({ ...progress, after }));

  const show = (stage: 'RESCREENING' | 'RESCREENED') =>
    upsertSearchAttributes([
      { key: STAGE_ATTRIBUTE, value: stage },
      { key: RESCREEN_TOTAL_ATTRIBUTE, value: progress.total },
      { key: RESCREEN_DONE_ATTRIBUTE, value: progress.done },
      { key: RESCREEN_NEW_MATCHES_ATTRIBUTE, value: progress.newMatches },
    ]);

  progress = await rescreen.beginRescreen({ listVersionId });
  show('RESCREENING');
  for (let pages = 0; ; pages += 1) {
    if (pages === pagesPerRun) await continueAsNew<typeof rescreenListWorkflow>({ ...input, after });
    const page = await rescreen.rescreenPage({ listVersionId, after, limit: pageSize });
    for (const matched of page.newlyMatched) await startWatch(listVersionId, matched);
    after = page.next;
    progress = page.progress;
    show('RESCREENING');
    if (!page.next) break;
  }
  progress = await rescreen.finishRescreen({ listVersionId });
  show('RESCREENED');
  return progress;
}

/** At most one watch per proposal and list version; it outlives the batch (and its continued runs). */
async function startWatch(listVersionId: string, matched: NewlyMatched): Promise<void> {
  try {
    await startChild(rescreenWatchWorkflow, {
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: rescreenWatchWorkflowId(listVersionId, matched.proposalId),
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ listVersionId, proposalId: matched.proposalId, matches: matched.matches }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
