import { proxyActivities } from '@temporalio/workflow';
import type { SbaActivityFunctions } from '../../activities/sba/sba.activities';
import { FINANCING_TASK_QUEUE } from '../../libs/contracts/financing';
import { onQueue, PROPOSAL_ACTIVITY } from '../activity-options';
import type { StartTask } from '../tasks/start-task';

// SBA's activities share the financing queue: the referral runs beside EDAG routing (EO 14320 sec. 4).
const sba = proxyActivities<SbaActivityFunctions>(onQueue(FINANCING_TASK_QUEUE, PROPOSAL_ACTIVITY));

/** EO 14320 sec. 4(c)(vi): members that are small businesses are referred to SBA (docs/spec.md section 2.4). */
export async function referToSba(
  proposalId: string,
  startTask: StartTask,
  plan: { smallMembers: number; sbaMembers: unknown[] },
): Promise<void> {
  if (!plan.smallMembers) return;
  const outcome = await startTask({ type: 'SBA_REFERRAL', agency: 'SBA', form: { members: plan.sbaMembers }, context: {} });
  await sba.recordSbaOutcome({
    proposalId,
    taskId: outcome.taskId,
    decision: outcome.decision,
    comment: outcome.comment,
    decidedBy: outcome.decidedBy,
  });
}
