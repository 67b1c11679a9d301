import { patched, proxyActivities } from '@temporalio/workflow';
import type { SbaActivityFunctions } from '../../activities/sba/sba.activities';
import { FINANCING_TASK_QUEUE } from '../../libs/contracts/financing';
import { sbaReferralStatus } from '../../libs/domain/sba/referral';
import type { SizeDetermination } from '../../libs/domain/sba/size-standard';
import { onQueue, PROPOSAL_ACTIVITY } from '../activity-options';
import type { StartTask } from '../tasks/start-task';
import type { SizeInformationLoop } from './size-information';

// SBA's activities share the financing queue: the referral runs beside EDAG routing (EO 14320 sec. 4).
const sba = proxyActivities<SbaActivityFunctions>(onQueue(FINANCING_TASK_QUEUE, PROPOSAL_ACTIVITY));

/** Marks the "needs information" loop; before it, a proposal with no member known to be small was never referred. */
export const SBA_INFORMATION_LOOP_PATCH = 'sba-information-loop';

/**
 * EO 14320 sec. 4(c)(vi): members that are small businesses are referred to SBA (docs/spec.md
 * section 2.4). Missing size data is a question to the applicant, whose answer sizes the members again.
 */
export async function referToSba(
  proposalId: string,
  startTask: StartTask,
  plan: { smallMembers: number; sbaMembers: Pick<SizeDetermination, 'status'>[] },
  sizeInformation: SizeInformationLoop,
): Promise<void> {
  let sizing: { smallMembers: number; sbaMembers: unknown[] } | undefined = plan;
  if (!plan.smallMembers && sbaReferralStatus(plan.sbaMembers) === 'NEEDS_INFORMATION' && patched(SBA_INFORMATION_LOOP_PATCH)) {
    sizing = await sizeInformation.untilSized();
  }
  if (!sizing?.smallMembers) return;
  const outcome = await startTask({ type: 'SBA_REFERRAL', agency: 'SBA', form: { members: sizing.sbaMembers }, context: {} });
  await sba.recordSbaOutcome({
    proposalId,
    taskId: outcome.taskId,
    decision: outcome.decision,
    comment: outcome.comment,
    decidedBy: outcome.decidedBy,
  });
}
