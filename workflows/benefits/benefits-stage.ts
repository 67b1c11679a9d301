import { proxyActivities, uuid4 } from '@temporalio/workflow';
import type { BenefitsActivityFunctions } from '../../activities/benefits/benefits.activities';
import type { BenefitReferralToOpen } from '../../libs/contracts/benefits';
import { FINANCING_TASK_QUEUE } from '../../libs/contracts/financing';
import { BENEFIT_TASKS } from '../../libs/domain/benefits/benefits';
import { onQueue, PROPOSAL_ACTIVITY } from '../activity-options';
import type { StartTask } from '../tasks/start-task';

// The benefits' activities share the financing queue: the referrals run beside EDAG financing.
const benefits = proxyActivities<BenefitsActivityFunctions>(onQueue(FINANCING_TASK_QUEUE, PROPOSAL_ACTIVITY));

/**
 * What designation brings (docs/spec.md section 2.3a; the call for proposals, DOMAIN.md sections 2-3):
 * an ADVOCACY_REFERRAL to Commerce's ITA Advocacy Center and, for a package with a license-review
 * flag, a priority LICENSING_REVIEW at BIS, in parallel; ends when each has an outcome.
 */
export async function runBenefits(proposalId: string, startTask: StartTask): Promise<void> {
  const referrals = await benefits.openBenefitReferrals({ proposalId, advocacyTaskId: uuid4(), licensingTaskId: uuid4() });
  await Promise.all(referrals.map((referral) => refer(proposalId, startTask, referral)));
}

async function refer(proposalId: string, startTask: StartTask, referral: BenefitReferralToOpen): Promise<void> {
  const outcome = await startTask({ ...BENEFIT_TASKS[referral.benefit], form: referral.form, context: {} }, referral.taskId);
  await benefits.recordBenefitOutcome({
    proposalId,
    benefit: referral.benefit,
    taskId: outcome.taskId,
    decision: outcome.decision,
    comment: outcome.comment,
    decidedBy: outcome.decidedBy,
    decidedAt: outcome.decidedAt,
  });
}
