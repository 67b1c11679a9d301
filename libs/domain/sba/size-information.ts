import type { SizeDetermination, SizeSubject } from './size-standard';

/** What the applicant may supply for a member whose size could not be determined (13 CFR 121.104, 121.106, 121.107). */
export interface SuppliedSize {
  usConcern?: boolean;
  naics?: string;
  employees?: number;
  averageAnnualReceiptsUsd?: number;
}

export interface MemberToAsk {
  name: string;
  missing: string[];
}

const FIELD_WORDING: Readonly<Record<string, string>> = {
  naics: 'primary 6-digit NAICS code',
  employees: 'average employees over the preceding 24 completed calendar months',
  averageAnnualReceiptsUsd: 'average annual receipts (USD) over the last 5 completed fiscal years',
  usConcern: 'whether it is a U.S. business concern',
};

/**
 * docs/spec.md section 2.4: missing size data means "needs information", so the applicant is asked
 * for it, member by member (EO 14320 sec. 4(c)(vi); 13 CFR 121).
 */
export function membersToAsk(members: readonly (SizeDetermination & { name: string })[]): MemberToAsk[] {
  return members.filter((m) => m.status === 'NEEDS_INFORMATION').map((m) => ({ name: m.name, missing: [...m.missing] }));
}

/** The request's wording: for each member the figures SBA's size standard needs. */
export function sizeInformationQuestion(members: readonly MemberToAsk[]): string {
  const lines = members.map((m) => `${m.name}: ${m.missing.map((field) => FIELD_WORDING[field] ?? field).join('; ')}`);
  return (
    'To refer your small-business members to the Small Business Administration (EO 14320 sec. 4(c)(vi)), ' +
    `SBA's size standards (13 CFR 121.201) need the following: ${lines.join(' | ')}.`
  );
}

/** The member as submitted, with what the applicant supplied since (a later answer wins). */
export function withSuppliedSize<M extends SizeSubject>(member: M, supplied: SuppliedSize | undefined): M {
  if (!supplied) return member;
  const given = Object.fromEntries(Object.entries(supplied).filter(([, value]) => value !== undefined && value !== null));
  return { ...member, ...given };
}
