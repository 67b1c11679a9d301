import type { Agency, Role } from '../domain/identity/roles';

/** Who is calling: established by the auth guard from a bearer token. */
export interface Principal {
  userId: string;
  username: string;
  roles: Role[];
  agency: Agency | null;
  /** An applicant's consortium; null for government staff. */
  organisation: string | null;
}

export function hasRole(principal: Principal, ...roles: readonly Role[]): boolean {
  return principal.roles.some((role) => roles.includes(role));
}
