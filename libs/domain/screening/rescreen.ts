import type { ProposalStatus } from '../intake/proposal-status';
import type { TaskType } from '../tasks/task-types';

/**
 * Continuous screening (EO 14320 sec. 3(b)(v): parties are screened against the lists as they
 * change; docs/spec.md section 2.4a). Pure rules: who is re-screened, which matches are new,
 * and which decisions a pending adjudication holds back.
 */

/** Final states that end screening: designated packages that are COMPLETED stay under watch. */
export const NOT_RESCREENED: readonly ProposalStatus[] = ['INELIGIBLE', 'NOT_SELECTED', 'WITHDRAWN'];

/** The part of a list match that identifies it across list versions (entry ids may be renumbered by an export). */
export interface MatchIdentity {
  role: string;
  source: string;
  listedName: string;
}

export const matchKey = (match: MatchIdentity): string => [match.role, match.source, match.listedName.trim().toLowerCase()].join('\u0000');

/**
 * The matches of a re-screening that nobody has looked at yet: not already cleared for this
 * proposal and not awaiting an adjudication already (intake's or an earlier re-screening's).
 */
export function newMatches<M extends MatchIdentity>(matches: readonly M[], known: readonly MatchIdentity[]): M[] {
  const seen = new Set(known.map(matchKey));
  const fresh = new Map<string, M>();
  for (const match of matches) if (!seen.has(matchKey(match)) && !fresh.has(matchKey(match))) fresh.set(matchKey(match), match);
  return [...fresh.values()];
}

/**
 * The decisions that commit the U.S. Government to a package, refused while a possible list match
 * awaits adjudication (the proposal is on hold); declining stays possible.
 */
const HELD_DECISIONS: Partial<Record<TaskType, string>> = {
  DESIGNATION_DECISION: 'DESIGNATE',
  FINANCING_REVIEW: 'COMMIT',
  ADVOCACY_REFERRAL: 'ACCEPT',
  LICENSING_REVIEW: 'PRIORITIZE',
};

export const isHeldByScreening = (type: TaskType, decision: string): boolean => HELD_DECISIONS[type] === decision;

/** A proposal is on hold while its screening status is a possible match not yet adjudicated. */
export const ON_HOLD_SCREENING_STATUS = 'POTENTIAL_MATCH';
