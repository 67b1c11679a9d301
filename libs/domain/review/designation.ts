/**
 * The applicant is told the outcome of the designation decision (EO 14320 sec. 3(d); docs/spec.md
 * section 2.3), never the agencies' positions behind it.
 */
export function designationNotice(decision: string, proposalTitle: string): { subject: string; body: string } {
  return {
    subject: `Decision on "${proposalTitle}"`,
    body:
      decision === 'DESIGNATE'
        ? 'Your proposal was designated a priority AI export package (EO 14320 sec. 3(d)).'
        : 'Your proposal was not selected in this round.',
  };
}
