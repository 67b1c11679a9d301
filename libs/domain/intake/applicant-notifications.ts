import type { ProposalStatus } from './proposal-status';

/**
 * What the applicant is told, and when (docs/spec.md sections 1 and 2): returned for information
 * (the deficiency codes and the amend-by date), not eligible (the applicant-facing reasons),
 * withdrawn by lapse of the amendment window, the designation outcome (EO 14320 sec. 3(d)) and the
 * financing and SBA outcomes (EO 14320 sec. 4), and what designation brings (advocacy, licensing review). Notices follow the applicant view of SPEC 1: they are
 * built only from the facts below, which never carry a staff name, a comment, conditions, an
 * agency's position or an adjudication note, so none can reach the applicant by accident.
 */

export interface ApplicantNotice {
  subject: string;
  body: string;
}

export type ApplicantEvent =
  | {
      kind: 'STATUS';
      status: ProposalStatus;
      /** Who moved the proposal: `system` when the program did (e.g. the amendment window lapsed). */
      bySystem: boolean;
      /** The deficiencies as the applicant's view shows them (docs/spec.md section 2.1). */
      deficiencies: readonly { code: string; message: string }[];
      amendBy: string | null;
      /** The eligibility reasons as the applicant's view shows them (docs/spec.md section 2.2). */
      eligibilityReasons: readonly { code: string; message: string }[];
    }
  | { kind: 'DESIGNATION'; decision: string }
  | { kind: 'FINANCING'; instrument: string; agency: string; committed: boolean; amountUsd: number | null }
  | { kind: 'SBA'; accepted: boolean }
  /** A designation benefit's outcome (docs/spec.md section 2.3a): ITA's advocacy, BIS's priority licensing review. */
  | { kind: 'BENEFIT'; benefit: 'advocacy' | 'licensing'; status: string };

const listed = (items: readonly { code: string; message: string }[]) => items.map((i) => `- ${i.code}: ${i.message}`).join('\n');

const usd = (amount: number) => `USD ${amount.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

function statusNotice(title: string, e: Extract<ApplicantEvent, { kind: 'STATUS' }>): ApplicantNotice | null {
  switch (e.status) {
    case 'RETURNED_FOR_INFORMATION':
      return {
        subject: `Amendment needed: "${title}"`,
        body: [
          'Your proposal is incomplete under EO 14320 sec. 3(b). Deficiencies:',
          listed(e.deficiencies),
          e.amendBy
            ? `Amend your proposal by ${e.amendBy}; without an amendment by then it is withdrawn.`
            : 'Amend your proposal within the amendment window; without an amendment it is withdrawn.',
        ].join('\n'),
      };
    case 'INELIGIBLE':
      return {
        subject: `Not eligible: "${title}"`,
        body: e.eligibilityReasons.length
          ? `Your proposal is not eligible for the American AI Exports Program (EO 14320 sec. 3(b)):\n${listed(e.eligibilityReasons)}`
          : 'Your proposal is not eligible for the American AI Exports Program following export-control screening (EO 14320 sec. 3(b)(v)).',
      };
    case 'WITHDRAWN':
      // The applicant's own withdrawal needs no notice; the program's (a lapsed window) does.
      return e.bySystem
        ? { subject: `Withdrawn: "${title}"`, body: 'Your proposal was withdrawn: the amendment window lapsed without an amendment.' }
        : null;
    default:
      return null;
  }
}

/** The notice an applicant gets for an event of its proposal, or null when the event is not the applicant's to be told. */
export function applicantNotice(title: string, event: ApplicantEvent): ApplicantNotice | null {
  switch (event.kind) {
    case 'STATUS':
      return statusNotice(title, event);
    case 'DESIGNATION':
      if (event.decision !== 'DESIGNATE' && event.decision !== 'DECLINE') return null;
      return {
        subject: `Decision on "${title}"`,
        body:
          event.decision === 'DESIGNATE'
            ? 'Your proposal was designated a priority AI export package (EO 14320 sec. 3(d)).'
            : 'Your proposal was not selected as a priority AI export package in this round.',
      };
    case 'FINANCING':
      return {
        subject: `Financing ${event.committed ? 'committed' : 'declined'}: "${title}"`,
        body: event.committed
          ? `${event.agency} committed ${event.amountUsd === null ? 'support' : usd(event.amountUsd)} under ${event.instrument} (EO 14320 sec. 4).`
          : `${event.agency} declined the requested ${event.instrument} (EO 14320 sec. 4).`,
      };
    case 'SBA':
      return {
        subject: `SBA referral ${event.accepted ? 'accepted' : 'declined'}: "${title}"`,
        body: event.accepted
          ? 'The Small Business Administration accepted the referral of your small-business members (EO 14320 sec. 4(c)(vi)).'
          : 'The Small Business Administration declined the referral of your small-business members.',
      };
    case 'BENEFIT':
      return benefitNotice(title, event);
  }
}

const BENEFIT_NOTICES: Record<'advocacy' | 'licensing', Record<string, string>> = {
  advocacy: {
    ACCEPTED: "Commerce's Advocacy Center (ITA) accepted your package for U.S. Government advocacy.",
    DECLINED: "Commerce's Advocacy Center (ITA) will not take up advocacy for your package at this time.",
  },
  licensing: {
    PRIORITIZED: "Commerce's Bureau of Industry and Security will review your package's export licence applications with priority.",
    DECLINED: "Commerce's Bureau of Industry and Security will review your package's licence applications in the ordinary course.",
  },
};

function benefitNotice(title: string, e: Extract<ApplicantEvent, { kind: 'BENEFIT' }>): ApplicantNotice | null {
  const body = BENEFIT_NOTICES[e.benefit][e.status];
  if (!body) return null;
  return { subject: `${e.benefit === 'advocacy' ? 'Advocacy' : 'Licensing review'} ${e.status.toLowerCase()}: "${title}"`, body };
}
