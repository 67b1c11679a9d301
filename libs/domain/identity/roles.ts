/** Agency staff who work a task inbox (docs/spec.md section 3). */
export const AGENCY_STAFF_ROLES = [
  'COMPLIANCE_OFFICER',
  'REVIEWER',
  'SUPERVISOR',
  'DECIDING_OFFICIAL',
  'EDAG_COORDINATOR',
  'FINANCING_OFFICER',
  'SBA_OFFICER',
  'ADVOCACY_OFFICER',
  'LICENSING_OFFICER',
] as const;

/** Roles and agencies of docs/spec.md section 1 (who does what in the program). */
export const ROLES = ['APPLICANT', ...AGENCY_STAFF_ROLES, 'PROGRAM_MANAGER', 'AUDITOR', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** ITA is Commerce's International Trade Administration (its Advocacy Center); BIS its Bureau of Industry and Security. */
export const AGENCIES = ['COMMERCE', 'STATE', 'OSTP', 'DOD', 'DOE', 'EXIM', 'DFC', 'USTDA', 'SBA', 'ITA', 'BIS'] as const;
export type Agency = (typeof AGENCIES)[number];

/** Government roles that may read proposals (agency staff working the pipeline); not ADMIN, who only manages users. */
export const PROPOSAL_READER_ROLES: readonly Role[] = [...AGENCY_STAFF_ROLES, 'PROGRAM_MANAGER', 'AUDITOR'];

/** Which agencies each role may belong to (docs/spec.md section 1); null means no agency. */
export const ROLE_AGENCIES: Record<Role, readonly Agency[] | null> = {
  APPLICANT: null,
  COMPLIANCE_OFFICER: ['COMMERCE'],
  REVIEWER: ['COMMERCE', 'STATE', 'OSTP', 'DOD', 'DOE'],
  SUPERVISOR: ['COMMERCE', 'STATE', 'OSTP', 'DOD', 'DOE', 'EXIM', 'DFC', 'USTDA', 'SBA', 'ITA', 'BIS'],
  DECIDING_OFFICIAL: ['COMMERCE'],
  EDAG_COORDINATOR: ['STATE'],
  FINANCING_OFFICER: ['EXIM', 'DFC', 'USTDA'],
  SBA_OFFICER: ['SBA'],
  ADVOCACY_OFFICER: ['ITA'],
  LICENSING_OFFICER: ['BIS'],
  PROGRAM_MANAGER: ['COMMERCE'],
  AUDITOR: [...AGENCIES],
  ADMIN: null,
};

/** A role/agency combination is valid when the agency is one the role exists in (docs/spec.md section 1). */
export function roleFitsAgency(role: Role, agency: Agency | null): boolean {
  const allowed = ROLE_AGENCIES[role];
  if (allowed === null) return role === 'ADMIN' || agency === null;
  return agency === null ? role === 'AUDITOR' : allowed.includes(agency);
}
