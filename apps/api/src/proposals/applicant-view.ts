import type {
  DocumentEntity,
  BenefitReferral,
  FinancingReferralRow,
  InformationRequestRow,
  ProposalEntity,
  ProposalEventEntity,
  TaskEntity,
} from '../../../../libs/db';
import { applicantStatusLabel, applicantTimeline } from '../../../../libs/domain/intake/applicant-timeline';

/**
 * What an applicant sees of its own proposal (docs/spec.md section 1), built field by field from an
 * allow-list: nothing reaches the applicant because it was forgotten in a list of fields to remove.
 * No positions, conditions, comments, adjudication notes, evidence or staff names: `reviews` and
 * `flags` are always empty and `screening` is its status alone.
 */

const amount = (value: number | string | null): number | null => (value === null ? null : Number(value));

/** The last designation decision's outcome and time, never its comment or decider. */
function designationOutcome(tasks: readonly TaskEntity[]) {
  const decided = tasks.filter((t) => t.type === 'DESIGNATION_DECISION' && t.decision).at(-1);
  return decided ? { decision: decided.decision, decidedAt: decided.completedAt } : null;
}

/** Financing outcomes per instrument: the agency, amounts, status and the terms committed; never a comment or the officer. */
function financingOutcomes(referrals: readonly FinancingReferralRow[]) {
  return referrals.map((r) => ({
    referralId: r.id,
    instrumentId: r.instrumentId,
    agency: r.agency,
    amountUsd: r.status === 'COMMITTED' ? amount(r.amountCommitted) : amount(r.amountRequested),
    amountRequestedUsd: amount(r.amountRequested),
    amountAssignedUsd: amount(r.amountAssigned),
    amountCommittedUsd: r.status === 'COMMITTED' ? amount(r.amountCommitted) : null,
    status: r.status,
    terms: r.status === 'COMMITTED' ? r.terms : null,
    decidedAt: r.decidedAt,
  }));
}

/** The SBA referral's status and each member's size determination (rule-made, 13 CFR 121); never SBA's comment. */
function sbaOutcome(referral: ProposalEntity['sbaReferral'] | null | undefined) {
  if (!referral) return null;
  const members = (Array.isArray(referral.members) ? referral.members : []).map((m) => {
    const member = (m ?? {}) as Record<string, unknown>;
    return {
      name: typeof member.name === 'string' ? member.name : null,
      status: typeof member.status === 'string' ? member.status : null,
      missing: Array.isArray(member.missing) ? member.missing.filter((f): f is string => typeof f === 'string') : [],
      reason: typeof member.reason === 'string' ? member.reason : null,
    };
  });
  return { status: referral.status, members, ...(referral.lapsed ? { reason: referral.reason ?? null } : {}) };
}

/** A request addressed to the applicant: the asking agency and the question, never the asking staff member. */
export function applicantInformationRequest(r: InformationRequestRow) {
  return {
    id: r.id,
    agency: r.agency,
    question: r.question,
    askedAt: r.askedAt,
    answer: r.answer,
    answeredBy: r.answeredBy,
    answeredAt: r.answeredAt,
    documentIds: r.documentIds,
    kind: r.kind,
    asked: r.asked,
    answerData: r.answerData,
    dueAt: r.dueAt,
    lapsedAt: r.lapsedAt,
  };
}

/**
 * The documents the applicant's organisation uploaded, never staff's: what an agency attached is part
 * of its deliberation, and who uploaded is a staff name (docs/spec.md section 1).
 */
export function applicantDocuments(documents: readonly DocumentEntity[], organisation: string) {
  return documents
    .filter((d) => d.uploaderOrganisation === organisation)
    .map((d) => ({ id: d.id, name: d.name, mediaType: d.mediaType, size: d.size, sha256: d.sha256, uploadedAt: d.uploadedAt }));
}

/** Each designation benefit's status and when it was decided (docs/spec.md section 7 `benefits`); never the officer or comment. */
function benefitOutcomes(benefits: ProposalEntity['benefits'] | null | undefined) {
  const outcome = (referral: BenefitReferral | null | undefined) =>
    referral ? { status: referral.status, decidedAt: referral.decidedAt ?? null } : null;
  return { advocacy: outcome(benefits?.advocacy), licensing: outcome(benefits?.licensing) };
}

export function applicantProposal(
  proposal: ProposalEntity,
  tasks: readonly TaskEntity[],
  timeline: readonly ProposalEventEntity[],
  informationRequests: readonly InformationRequestRow[],
  referrals: readonly FinancingReferralRow[],
) {
  return {
    id: proposal.id,
    title: proposal.title,
    status: proposal.status,
    statusLabel: applicantStatusLabel(proposal.status),
    organisation: proposal.organisation,
    submittedBy: proposal.submittedBy,
    callId: proposal.callId,
    version: proposal.version,
    submission: proposal.submission,
    deficiencies: (proposal.deficiencies ?? []).map((d) => ({ code: d.code, message: d.message, eoRef: d.eoRef })),
    amendBy: proposal.amendBy?.toISOString() ?? null,
    eligibility: {
      eligible: proposal.eligibility?.eligible ?? null,
      reasons: (proposal.eligibility?.reasons ?? []).map((r) => ({ code: r.code, message: r.message })),
      countryGroupsVersion: proposal.eligibility?.countryGroupsVersion ?? null,
    },
    flags: [],
    screening: { status: proposal.screening?.status ?? 'PENDING' },
    reviews: [],
    designation: designationOutcome(tasks),
    financing: financingOutcomes(referrals),
    sbaReferral: sbaOutcome(proposal.sbaReferral),
    benefits: benefitOutcomes(proposal.benefits),
    informationRequests: informationRequests.map(applicantInformationRequest),
    createdAt: proposal.createdAt,
    updatedAt: proposal.updatedAt,
    timeline: applicantTimeline(timeline),
  };
}

/** A row of an applicant's `GET /proposals`: no flags (reviewers' notes on the package) or staff fields. */
export function applicantListItem(p: ProposalEntity) {
  return {
    id: p.id,
    title: p.title,
    status: p.status,
    statusLabel: applicantStatusLabel(p.status),
    organisation: p.organisation,
    targetMarkets: (p.submission.targetMarkets as string[] | undefined) ?? [],
    flags: [],
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
}
