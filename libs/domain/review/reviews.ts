import type { Agency } from '../identity/roles';
import type { TaskType } from '../tasks/task-types';

/**
 * EO 14320 sec. 3(d): Commerce designates priority packages in consultation with State and OSTP
 * (reviews that must conclude) and with Defense and Energy (consultations that may lapse as
 * NO_RESPONSE; docs/spec.md section 2.3).
 */
export const REVIEWS: readonly { agency: Agency; type: TaskType }[] = [
  { agency: 'COMMERCE', type: 'AGENCY_REVIEW' },
  { agency: 'STATE', type: 'AGENCY_REVIEW' },
  { agency: 'OSTP', type: 'AGENCY_REVIEW' },
  { agency: 'DOD', type: 'CONSULTATION' },
  { agency: 'DOE', type: 'CONSULTATION' },
];

/** A concluded review or consultation as the deciding official weighs it. */
export interface ReviewOutcome {
  agency: Agency;
  type: TaskType;
  decision: string;
  conditions: string[];
  comment: string | null;
  decidedBy: string | null;
  decidedAt: string;
}

/** What the deciding official sees: every agency's position (docs/spec.md section 2.3). */
export function positionsOf(outcomes: readonly ReviewOutcome[]) {
  return outcomes.map((o) => ({
    agency: o.agency,
    kind: o.type === 'CONSULTATION' ? 'CONSULTATION' : 'REVIEW',
    position: o.decision,
    conditions: o.conditions,
    comment: o.comment,
    decidedBy: o.decidedBy,
    decidedAt: o.decidedAt,
  }));
}

/** The agencies whose position is NON_CONCUR: designating over them needs a comment (docs/spec.md section 2.3). */
export function nonConcurringAgencies(positions: readonly { agency: Agency; position: string }[]): Agency[] {
  return positions.filter((p) => p.position === 'NON_CONCUR').map((p) => p.agency);
}
