import { DEFICIENCY_CODES } from './completeness';
import { PROPOSAL_STATUSES, type ProposalStatus } from './proposal-status';

/**
 * What an applicant sees of its proposal's timeline (docs/spec.md section 1): interagency
 * deliberation is pre-decisional, so the applicant's timeline is curated, never filtered. Only the
 * actions allow-listed here are shown, each rebuilt from scratch with wording written for the
 * applicant: receipt, status changes, deficiencies and the amend-by date, information requests
 * addressed to the applicant, the designation outcome (not its reasoning), financing and SBA
 * outcomes. Internal reasons, positions, conditions, comments, adjudication notes and staff names
 * are never copied; an action not listed here (task opened, claimed, escalated…) is not shown.
 */

/** A timeline event as the projection records it. */
export interface InternalTimelineEvent {
  at: Date | string;
  action: string;
  actor: string;
  detail: Record<string, unknown> | null;
}

export interface ApplicantTimelineEntry {
  at: Date | string;
  action: string;
  /** The applicant's own username for its own actions; otherwise the program, never a staff name. */
  actor: string;
  detail: { reason: string } & Record<string, unknown>;
}

/** Who an applicant sees as the actor of everything it did not do itself. */
export const PROGRAM_ACTOR = 'Exports Desk';

/** Applicant-facing wording of each status (docs/spec.md section 1: ADJUDICATION reads as "under compliance review"). */
export const APPLICANT_STATUS_LABELS: Readonly<Record<ProposalStatus, string>> = {
  SUBMITTED: 'Received',
  SCREENING: 'Checking completeness and eligibility',
  RETURNED_FOR_INFORMATION: 'Returned for amendment',
  ADJUDICATION: 'Under compliance review',
  INELIGIBLE: 'Not eligible',
  UNDER_REVIEW: 'Under interagency review',
  AWAITING_DETERMINATION: 'Awaiting the designation decision',
  NOT_SELECTED: 'Not selected',
  FINANCING: 'Designated: financing, SBA, advocacy and licensing referrals under way',
  COMPLETED: 'Completed',
  WITHDRAWN: 'Withdrawn',
};

const STATUS_REASONS: Readonly<Record<ProposalStatus, string>> = {
  SUBMITTED: 'Your proposal was received.',
  SCREENING: 'Your proposal is being checked for completeness and eligibility (EO 14320 sec. 3(b)).',
  RETURNED_FOR_INFORMATION: 'Your proposal is incomplete under EO 14320 sec. 3(b): amend the sections listed as deficiencies.',
  ADJUDICATION: 'Your proposal is under compliance review.',
  INELIGIBLE: 'Your proposal is not eligible for the American AI Exports Program.',
  UNDER_REVIEW: 'Your proposal is complete and under interagency review (EO 14320 sec. 3(d)).',
  AWAITING_DETERMINATION: 'The interagency review is complete; the designation decision is pending.',
  NOT_SELECTED: 'Your proposal was not selected as a priority AI export package.',
  FINANCING:
    'Your proposal was designated a priority AI export package (EO 14320 sec. 3(d)); federal financing and SBA referrals are under way (EO 14320 sec. 4).',
  COMPLETED: 'Every financing, SBA, advocacy and licensing referral of your proposal has an outcome.',
  WITHDRAWN: 'Your proposal was withdrawn at your request.',
};

const WITHDRAWAL_PREFIX = 'Withdrawn by the applicant: ';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const SECTION_NAME = /^[A-Za-z]{1,50}$/;

const isStatus = (value: string): value is ProposalStatus => (PROPOSAL_STATUSES as readonly string[]).includes(value);
const text = (value: unknown, max = 20_000): string | null => (typeof value === 'string' && value.length <= max ? value : null);

/**
 * The amend-by instant of a RETURNED_FOR_INFORMATION status change: the workflow writes it into its
 * reason as "amend by <ISO instant>"; only a well-formed instant is taken, never the text around it.
 */
export function amendByOf(event: InternalTimelineEvent | undefined): string | null {
  const reason = text(event?.detail?.reason);
  const match = reason ? /amend by (\S+)/.exec(reason) : null;
  return match && ISO_INSTANT.test(match[1]) && !Number.isNaN(Date.parse(match[1])) ? match[1] : null;
}

function statusEntry(e: InternalTimelineEvent, status: ProposalStatus, earlier: readonly InternalTimelineEvent[]): ApplicantTimelineEntry {
  const at = e.at;
  const action = `STATUS_${status}`;
  const actor = PROGRAM_ACTOR;
  if (status === 'RETURNED_FOR_INFORMATION') {
    const amendBy = amendByOf(e);
    const screened = earlier.filter((x) => x.action === 'SCREENED').at(-1);
    const codes = Array.isArray(screened?.detail?.deficiencies) ? (screened.detail.deficiencies as unknown[]) : [];
    const deficiencies = DEFICIENCY_CODES.filter((code) => codes.includes(code));
    // "amend by <instant>" last, unpunctuated: clients read the date from the reason (as the web UI does).
    const reason = amendBy
      ? `Your proposal is incomplete under EO 14320 sec. 3(b) (see the deficiencies listed): amend by ${amendBy}`
      : STATUS_REASONS.RETURNED_FOR_INFORMATION;
    return { at, action, actor, detail: { reason, deficiencies, amendBy } };
  }
  if (status === 'SCREENING' && e.detail?.from === 'RETURNED_FOR_INFORMATION') {
    return { at, action, actor, detail: { reason: 'Your amendment was received: your proposal is being checked again.' } };
  }
  if (status === 'WITHDRAWN') {
    // Only the applicant withdraws; the system does when the amendment window lapses.
    if (e.actor === 'system') {
      return { at, action, actor, detail: { reason: 'Your proposal was withdrawn: the amendment window lapsed without an amendment.' } };
    }
    // The applicant's own words, echoed back to it (the workflow records them after this fixed prefix).
    const recorded = text(e.detail?.reason) ?? '';
    const own = recorded.startsWith(WITHDRAWAL_PREFIX) ? recorded.slice(WITHDRAWAL_PREFIX.length) : '';
    return { at, action, actor: e.actor, detail: { reason: own ? `${WITHDRAWAL_PREFIX}${own}` : STATUS_REASONS.WITHDRAWN } };
  }
  return { at, action, actor, detail: { reason: STATUS_REASONS[status] } };
}

type Rule = (e: InternalTimelineEvent, earlier: readonly InternalTimelineEvent[]) => ApplicantTimelineEntry | null;

/** The allow-list: each action an applicant sees, and how its entry is built. Anything else is never shown. */
const RULES: Readonly<Record<string, Rule>> = {
  SUBMITTED: (e) => ({ at: e.at, action: 'SUBMITTED', actor: e.actor, detail: { reason: 'Your proposal was received.' } }),
  AMENDED: (e) => {
    const version = typeof e.detail?.version === 'number' ? e.detail.version : null;
    const sections = Array.isArray(e.detail?.sections)
      ? (e.detail.sections as unknown[]).filter((s): s is string => typeof s === 'string' && SECTION_NAME.test(s))
      : [];
    const reason = version === null ? 'You amended your proposal.' : `You amended your proposal (version ${version}).`;
    return { at: e.at, action: 'AMENDED', actor: e.actor, detail: { reason, version, sections } };
  },
  INFORMATION_REQUESTED: (e) => {
    const question = text(e.detail?.question);
    if (question === null) return null;
    return {
      at: e.at,
      action: 'INFORMATION_REQUESTED',
      actor: PROGRAM_ACTOR,
      detail: {
        reason:
          e.detail?.agency === 'SBA'
            ? 'The Small Business Administration needs size figures of your members to refer them (EO 14320 sec. 4(c)(vi)).'
            : 'A reviewing agency asks you for information; the review waits for your answer.',
        requestId: text(e.detail?.requestId, 100),
        agency: text(e.detail?.agency, 20),
        question,
      },
    };
  },
  INFORMATION_ANSWERED: (e) => ({
    at: e.at,
    action: 'INFORMATION_ANSWERED',
    actor: e.actor,
    detail: {
      reason:
        e.detail?.agency === 'SBA'
          ? 'You answered the request for size information; your members were sized again.'
          : 'You answered the request for information; the review resumes.',
      requestId: text(e.detail?.requestId, 100),
    },
  }),
  TASK_COMPLETED: (e) => {
    // Of all task outcomes only the designation's is the applicant's to know, and only its outcome.
    if (e.detail?.type !== 'DESIGNATION_DECISION') return null;
    const decision = e.detail.decision;
    if (decision !== 'DESIGNATE' && decision !== 'DECLINE') return null;
    const reason =
      decision === 'DESIGNATE'
        ? 'Your proposal was designated a priority AI export package (EO 14320 sec. 3(d)).'
        : 'Your proposal was not selected as a priority AI export package.';
    return { at: e.at, action: 'DESIGNATION_DECIDED', actor: PROGRAM_ACTOR, detail: { reason, decision } };
  },
  FINANCING_COMMITTED: (e) => ({
    at: e.at,
    action: 'FINANCING_COMMITTED',
    actor: PROGRAM_ACTOR,
    detail: {
      reason: 'A federal financing agency committed support to your proposal (EO 14320 sec. 4).',
      referralId: text(e.detail?.referralId, 100),
      amountUsd: typeof e.detail?.amountUsd === 'number' ? e.detail.amountUsd : null,
    },
  }),
  FINANCING_DECLINED: (e) => ({
    at: e.at,
    action: 'FINANCING_DECLINED',
    actor: PROGRAM_ACTOR,
    detail: { reason: 'A federal financing agency declined a requested instrument.', referralId: text(e.detail?.referralId, 100) },
  }),
  SBA_REFERRAL_ACCEPTED: (e) => ({
    at: e.at,
    action: 'SBA_REFERRAL_ACCEPTED',
    actor: PROGRAM_ACTOR,
    detail: { reason: 'The Small Business Administration accepted the referral of your small-business members (EO 14320 sec. 4(c)(vi)).' },
  }),
  SBA_REFERRAL_DECLINED: (e) => ({
    at: e.at,
    action: 'SBA_REFERRAL_DECLINED',
    actor: PROGRAM_ACTOR,
    detail: { reason: 'The Small Business Administration declined the referral of your small-business members.' },
  }),
  ...benefitRules(),
  SBA_INFORMATION_LAPSED: (e) => ({
    at: e.at,
    action: 'SBA_INFORMATION_LAPSED',
    actor: PROGRAM_ACTOR,
    detail: {
      reason: 'The request for size information lapsed unanswered, so no member could be referred to SBA.',
      requestId: text(e.detail?.requestId, 100),
    },
  }),
};

/** Designation benefits' outcomes (docs/spec.md section 2.3a): the outcome only, never the officer or comment. */
function benefitRules(): Record<string, Rule> {
  const outcomes: Record<string, string> = {
    ADVOCACY_ACCEPTED: "Commerce's ITA Advocacy Center accepted your package for U.S. Government advocacy.",
    ADVOCACY_DECLINED: "Commerce's ITA Advocacy Center declined the advocacy referral of your package.",
    LICENSING_PRIORITIZED: "Commerce's Bureau of Industry and Security will review your package's export licensing with priority.",
    LICENSING_DECLINED: "Commerce's Bureau of Industry and Security declined the priority licensing review of your package.",
  };
  return Object.fromEntries(
    Object.entries(outcomes).map(([action, reason]): [string, Rule] => [
      action,
      (e) => ({ at: e.at, action, actor: PROGRAM_ACTOR, detail: { reason } }),
    ]),
  );
}

/** The applicant's timeline: allow-listed actions only, each entry rebuilt with applicant-facing wording. */
export function applicantTimeline(events: readonly InternalTimelineEvent[]): ApplicantTimelineEntry[] {
  return events.flatMap((e, i) => {
    const earlier = events.slice(0, i);
    if (e.action.startsWith('STATUS_')) {
      const status = e.action.slice('STATUS_'.length);
      return isStatus(status) ? [statusEntry(e, status, earlier)] : [];
    }
    const rule = Object.prototype.hasOwnProperty.call(RULES, e.action) ? RULES[e.action] : undefined;
    const entry = rule?.(e, earlier);
    return entry ? [entry] : [];
  });
}

/** The applicant-facing label of a status (docs/spec.md section 1). */
export function applicantStatusLabel(status: string): string | null {
  return isStatus(status) ? APPLICANT_STATUS_LABELS[status] : null;
}
