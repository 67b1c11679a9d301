import type { TaskType } from '../tasks/task-types';

/**
 * What designation brings (DOMAIN.md section 2, the 2026 call for proposals, FR Doc 2026-06952):
 * designated packages "may receive priority government advocacy, export licensing review and
 * processing, interagency coordination, and financing referrals". Advocacy is the ITA Advocacy
 * Center's, licensing review BIS's (DOMAIN.md section 3); financing is EDAG's (EO 14320 sec. 4).
 */
export const BENEFITS = ['advocacy', 'licensing'] as const;
export type Benefit = (typeof BENEFITS)[number];

export const BENEFIT_STATUSES = ['PENDING', 'ACCEPTED', 'PRIORITIZED', 'DECLINED'] as const;
export type BenefitStatus = (typeof BENEFIT_STATUSES)[number];

/** The task that refers the package for each benefit, and the agency that takes it (docs/spec.md section 3). */
export const BENEFIT_TASKS: Readonly<Record<Benefit, { type: TaskType; agency: 'ITA' | 'BIS' }>> = {
  advocacy: { type: 'ADVOCACY_REFERRAL', agency: 'ITA' },
  licensing: { type: 'LICENSING_REVIEW', agency: 'BIS' },
};

/**
 * DOMAIN.md section 3 (trade.gov/how-apply-advocacy): the Advocacy Center acts on an Advocacy
 * Questionnaire and a signed anti-bribery agreement, which consortia co-sign with the bidder of record.
 * The advocacy officer asks the applicant for both by an information request before accepting.
 */
export const ADVOCACY_DOCUMENTS = [
  { code: 'ADVOCACY_QUESTIONNAIRE', title: 'Advocacy Questionnaire (ITA Advocacy Center)' },
  { code: 'ANTI_BRIBERY_AGREEMENT', title: 'Anti-bribery agreement, signed by the bidder of record and co-signed by the consortium' },
] as const;

/** Screening flag codes that call for BIS's priority licensing review (libs/domain/screening/eligibility.ts; EAR, 15 CFR 730-774). */
const LICENSE_REVIEW_FLAG = /^LICENSE_REVIEW_/;

/** The proposal's flags that make BIS review its export licensing with priority (docs/spec.md section 2.3a). */
export function licensingReviewFlags<F extends { code: string }>(flags: readonly F[]): F[] {
  return flags.filter((flag) => LICENSE_REVIEW_FLAG.test(flag.code));
}

/** A benefit's status from its task's decision: ACCEPT, PRIORITIZE or DECLINE (docs/spec.md section 7 `benefits`). */
export function benefitStatusOf(decision: string): BenefitStatus {
  switch (decision) {
    case 'ACCEPT':
      return 'ACCEPTED';
    case 'PRIORITIZE':
      return 'PRIORITIZED';
    case 'DECLINE':
      return 'DECLINED';
    default:
      throw new Error(`No benefit outcome for decision ${decision}`);
  }
}

/** `benefits` on the proposal: each referral's status and when it was decided, or null when not referred. */
export type BenefitOutcome = { status: BenefitStatus; decidedAt: string | null } | null;
export type BenefitsRecord = Record<Benefit, BenefitOutcome>;

/** A referral designation opens, with the task id the workflow made for it and what its task's form shows. */
export interface BenefitReferralPlan {
  benefit: Benefit;
  taskId: string;
  form: Record<string, unknown>;
}

/**
 * The referrals a designated package gets (docs/spec.md section 2.3a): always ITA advocacy, whose form
 * names the documents to ask for; BIS licensing review only for a package with a license-review flag,
 * whose form shows those flags and the hardware's ECCNs.
 */
export function benefitReferrals(
  proposal: { flags: readonly { code: string; message: string }[]; targetMarkets: readonly string[]; eccns: readonly string[] },
  taskIds: Record<Benefit, string>,
): BenefitReferralPlan[] {
  const flags = licensingReviewFlags(proposal.flags);
  return [
    { benefit: 'advocacy', taskId: taskIds.advocacy, form: { documents: ADVOCACY_DOCUMENTS, targetMarkets: [...proposal.targetMarkets] } },
    ...(flags.length
      ? [{ benefit: 'licensing' as const, taskId: taskIds.licensing, form: { flags: [...flags], eccns: [...proposal.eccns] } }]
      : []),
  ];
}
