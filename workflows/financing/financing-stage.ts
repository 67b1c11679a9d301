import { proxyActivities, uuid4 } from '@temporalio/workflow';
import type { FinancingActivityFunctions, ReferralToOpen } from '../../activities/financing/financing.activities';
import { FINANCING_TASK_QUEUE } from '../../libs/contracts/financing';
import type { TaskOutcome } from '../../libs/contracts/tasks';
import type { Agency } from '../../libs/domain/identity/roles';
import type { FinancingAssignment } from '../../libs/domain/financing/assignment';
import { onQueue, PROPOSAL_ACTIVITY } from '../activity-options';
import { referToSba } from '../sba/sba-referral';
import type { SizeInformationLoop } from '../sba/size-information';
import type { StartTask } from '../tasks/start-task';

const financing = proxyActivities<FinancingActivityFunctions>(onQueue(FINANCING_TASK_QUEUE, PROPOSAL_ACTIVITY));

/**
 * EO 14320 sec. 4: EDAG routes the priority package's requested instruments to EXIM, DFC and
 * USTDA, one referral each, while members that are small businesses are referred to SBA; closed
 * loop: a declined instrument returns to the coordinator, who reassigns it or closes it. Ends when
 * every referral has an outcome (docs/spec.md section 2.4).
 */
export async function runFinancing(proposalId: string, startTask: StartTask, sizeInformation: SizeInformationLoop): Promise<void> {
  const plan = await financing.prepareFinancing(proposalId);
  await Promise.all([
    routeInstruments(proposalId, startTask, plan.suggestions, plan.instrumentIds),
    referToSba(proposalId, startTask, plan, sizeInformation),
  ]);
}

async function routeInstruments(proposalId: string, startTask: StartTask, suggestions: unknown[], instrumentIds: string[]): Promise<void> {
  let declined: { instrumentId: string; agency: string; amountUsd: number; comment: string | null }[] = [];
  let form: Record<string, unknown> = { suggestions, declined };
  for (;;) {
    const assignment = await startTask({ type: 'FINANCING_ASSIGNMENT', agency: 'STATE', form, context: { instrumentIds } });
    const referrals: ReferralToOpen[] = ((assignment.data.assignments ?? []) as FinancingAssignment[]).map((a) => ({
      ...a,
      referralId: uuid4(),
    }));
    if (!referrals.length) return;
    await financing.openReferrals({ proposalId, referrals, assignedBy: assignment.decidedBy });
    const outcomes = await Promise.all(referrals.map((r) => reviewReferral(proposalId, startTask, r)));
    declined = referrals
      .map((r, i) => ({ ...r, outcome: outcomes[i] }))
      .filter(({ outcome }) => outcome.decision === 'DECLINE')
      .map(({ instrumentId, agency, amountUsd, outcome }) => ({ instrumentId, agency, amountUsd, comment: outcome.comment }));
    if (!declined.length) return;
    // Back to the coordinator: reassign the declined instruments (possibly to others) or close them (no assignments).
    form = { suggestions: declined.map(({ comment: _comment, ...route }) => ({ ...route, warnings: [] })), declined, reassignment: true };
  }
}

async function reviewReferral(proposalId: string, startTask: StartTask, referral: ReferralToOpen): Promise<TaskOutcome> {
  const outcome = await startTask(
    {
      type: 'FINANCING_REVIEW',
      agency: referral.agency as Agency,
      form: { instrumentId: referral.instrumentId, amountUsd: referral.amountUsd },
      context: {},
    },
    referral.referralId,
  );
  await financing.recordReferralOutcome({
    proposalId,
    referralId: referral.referralId,
    decision: outcome.decision,
    amountUsd: typeof outcome.data.amountUsd === 'number' ? outcome.data.amountUsd : null,
    terms: typeof outcome.data.terms === 'string' ? outcome.data.terms : null,
    comment: outcome.comment,
    decidedBy: outcome.decidedBy,
  });
  return outcome;
}
