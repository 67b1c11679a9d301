import type { Benefit, BenefitReferralPlan } from '../domain/benefits/benefits';

/**
 * The designation-benefits context (docs/spec.md section 2.3a): ITA advocacy and BIS licensing
 * referrals, run beside EDAG financing; its activities share the financing queue.
 */

/** The referrals a designation opens, with the task ids the workflow made for them. */
export interface BenefitReferralsRequest {
  proposalId: string;
  advocacyTaskId: string;
  /** Used only when the proposal carries a license-review flag. */
  licensingTaskId: string;
}

/** One referral to open: its task id and what its task's form shows. */
export type BenefitReferralToOpen = BenefitReferralPlan;

export interface BenefitOutcomeRecord {
  proposalId: string;
  benefit: Benefit;
  taskId: string;
  decision: string;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: string;
}
