import { Injectable } from '@nestjs/common';
import type { BenefitOutcomeRecord, BenefitReferralsRequest, BenefitReferralToOpen } from '../../libs/contracts/benefits';
import { BENEFIT_TASKS, benefitReferrals, benefitStatusOf } from '../../libs/domain/benefits/benefits';
import type { ProposalSubmission } from '../../libs/domain/intake/submission';
import { failPermanently, notFound, throwIt } from '../failures';
import { ProposalProjection } from '../proposal-projection';
import { notifyApplicant } from '../applicant-notice';

const ACTIONS = { advocacy: 'ADVOCACY', licensing: 'LICENSING' } as const;

/**
 * Designation benefits (docs/spec.md section 2.3a; the call for proposals, DOMAIN.md section 2):
 * opens the ITA advocacy referral and, for a package with a license-review flag, BIS's priority
 * licensing review, and projects each outcome into the proposal, its timeline and the audit trail.
 */
@Injectable()
export class BenefitsActivities extends ProposalProjection {
  build() {
    return failPermanently({
      openBenefitReferrals: (request: BenefitReferralsRequest) => this.openBenefitReferrals(request),
      recordBenefitOutcome: (outcome: BenefitOutcomeRecord) => this.recordBenefitOutcome(outcome),
    });
  }

  /** The referrals the designated package gets; each recorded PENDING once (a retry finds the event and writes nothing). */
  async openBenefitReferrals({ proposalId, advocacyTaskId, licensingTaskId }: BenefitReferralsRequest): Promise<BenefitReferralToOpen[]> {
    const proposal = (await this.proposals.findById(proposalId)) ?? throwIt(notFound('Proposal', proposalId));
    const submission = proposal.submission as unknown as ProposalSubmission;
    const referrals: BenefitReferralToOpen[] = benefitReferrals(
      { flags: proposal.flags, targetMarkets: submission.targetMarkets ?? [], eccns: submission.stack?.hardware?.eccns ?? [] },
      { advocacy: advocacyTaskId, licensing: licensingTaskId },
    );
    const entry = {
      key: 'benefits:referred',
      at: new Date(),
      action: 'BENEFITS_REFERRED',
      actor: 'system',
      detail: { referrals: referrals.map((r) => ({ benefit: r.benefit, taskId: r.taskId, agency: BENEFIT_TASKS[r.benefit].agency })) },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, proposalId, entry))) return;
      for (const r of referrals) await this.proposals.setBenefit(tx, proposalId, r.benefit, { status: 'PENDING', taskId: r.taskId });
      await this.audit.record(
        { actor: 'system', action: 'BENEFITS_REFERRED', subjectType: 'proposal', subjectId: proposalId, after: entry.detail },
        tx,
      );
    });
    return referrals;
  }

  async recordBenefitOutcome(o: BenefitOutcomeRecord): Promise<void> {
    const status = benefitStatusOf(o.decision);
    const action = `${ACTIONS[o.benefit]}_${status}`;
    const entry = {
      key: `benefit:${o.taskId}:decided`,
      at: new Date(o.decidedAt),
      action,
      actor: o.decidedBy ?? 'system',
      detail: { taskId: o.taskId, decision: o.decision, comment: o.comment },
    };
    await this.uow.run(async (tx) => {
      if (!(await this.proposals.recordEvent(tx, o.proposalId, entry))) return;
      await this.proposals.setBenefit(tx, o.proposalId, o.benefit, {
        status,
        taskId: o.taskId,
        decision: o.decision,
        comment: o.comment,
        decidedBy: o.decidedBy,
        decidedAt: o.decidedAt,
      });
      await this.audit.record(
        {
          actor: o.decidedBy ?? 'system',
          action,
          subjectType: 'proposal',
          subjectId: o.proposalId,
          after: { benefit: o.benefit, status, decision: o.decision, comment: o.comment },
        },
        tx,
      );
      await notifyApplicant(this.proposals, this.notifications, tx, {
        proposalId: o.proposalId,
        eventKey: `benefit:${o.taskId}:applicant`,
        taskId: o.taskId,
        event: () => ({ kind: 'BENEFIT', benefit: o.benefit, status }),
      });
    });
  }
}

export type BenefitsActivityFunctions = ReturnType<BenefitsActivities['build']>;
