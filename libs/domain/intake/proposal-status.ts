/** Proposal lifecycle states (docs/spec.md section 2; EO 14320 sec. 3(b)-(d), 4). */
export const PROPOSAL_STATUSES = [
  'SUBMITTED',
  'SCREENING',
  'RETURNED_FOR_INFORMATION',
  'ADJUDICATION',
  'INELIGIBLE',
  'UNDER_REVIEW',
  'AWAITING_DETERMINATION',
  'NOT_SELECTED',
  'FINANCING',
  'COMPLETED',
  'WITHDRAWN',
] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const FINAL_STATUSES: readonly ProposalStatus[] = ['INELIGIBLE', 'NOT_SELECTED', 'COMPLETED', 'WITHDRAWN'];

export function isFinal(status: ProposalStatus): boolean {
  return FINAL_STATUSES.includes(status);
}
