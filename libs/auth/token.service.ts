import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, errors, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { AppConfig, APP_CONFIG } from '../config';
import { AGENCIES, Agency, Role, ROLES } from '../domain/identity/roles';
import type { Principal } from './principal';

const ISSUER = 'exports-desk';

export class InvalidTokenError extends Error {}

/**
 * A token that is genuine (signature, issuer, audience and expiry check out) but that we refuse, e.g.
 * an applicant's without an organisation. Its bearer is known, so the denial is audited individually.
 */
export class RefusedTokenError extends InvalidTokenError {
  constructor(
    readonly principal: Pick<Principal, 'userId' | 'username' | 'roles' | 'agency'>,
    message: string,
  ) {
    super(message);
  }
}

/** A verified bearer token: who it names, and for our own tokens the session version it was issued under. */
export interface VerifiedToken {
  principal: Principal;
  /** Tokens of our own issuer name an app_user row, checked on each request; OIDC ones do not. */
  local: boolean;
  sessionVersion: number;
}

/**
 * Issues short-lived HS256 access tokens at login and verifies bearer tokens: our own, or (OIDC
 * mode) an external issuer's, checked against its JWKS with claims mapped to roles and agency.
 * Our own are signed with JWT_SECRET; during a rotation, JWT_SECRET_PREVIOUS still verifies them.
 */
@Injectable()
export class TokenService {
  private readonly secret: Uint8Array;
  private readonly previousSecret?: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const encoder = new TextEncoder();
    this.secret = encoder.encode(config.auth.jwtSecret);
    if (config.auth.jwtPreviousSecret !== undefined) this.previousSecret = encoder.encode(config.auth.jwtPreviousSecret);
    if (config.auth.oidc) this.jwks = createRemoteJWKSet(new URL(config.auth.oidc.jwksUrl));
  }

  async issue(principal: Principal, sessionVersion = 0): Promise<{ accessToken: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.config.auth.accessTokenTtlMs);
    const accessToken = await new SignJWT({
      username: principal.username,
      roles: principal.roles,
      agency: principal.agency,
      organisation: principal.organisation,
      sv: sessionVersion,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(principal.userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { accessToken, expiresAt };
  }

  async verify(token: string): Promise<VerifiedToken> {
    let issuer: string | undefined;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      throw new InvalidTokenError('Malformed bearer token');
    }
    try {
      const oidc = this.config.auth.oidc;
      if (oidc && this.jwks && issuer === oidc.issuer) {
        const { payload } = await jwtVerify(token, this.jwks, { issuer: oidc.issuer, audience: oidc.audience });
        const principal = this.fromClaims(payload, oidc.rolesClaim, oidc.agencyClaim, oidc.organisationClaim, 'preferred_username');
        return { principal, local: false, sessionVersion: 0 };
      }
      // Turning local accounts off also ends the sessions they opened.
      if (!this.config.auth.localAccounts) throw new InvalidTokenError('Local accounts are off (LOCAL_ACCOUNTS=off)');
      const payload = await this.verifyLocal(token);
      const principal = this.fromClaims(payload, 'roles', 'agency', 'organisation', 'username');
      return { principal, local: true, sessionVersion: typeof payload.sv === 'number' ? payload.sv : 0 };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError(`Invalid bearer token: ${(error as Error).message}`);
    }
  }

  /** Under JWT_SECRET, else (only when its signature is what failed) under JWT_SECRET_PREVIOUS. */
  private async verifyLocal(token: string): Promise<JWTPayload> {
    const options = { issuer: ISSUER, algorithms: ['HS256'] };
    try {
      return (await jwtVerify(token, this.secret, options)).payload;
    } catch (error) {
      if (!this.previousSecret || !(error instanceof errors.JWSSignatureVerificationFailed)) throw error;
      return (await jwtVerify(token, this.previousSecret, options)).payload;
    }
  }

  private fromClaims(
    payload: JWTPayload,
    rolesClaim: string,
    agencyClaim: string,
    organisationClaim: string,
    usernameClaim: string,
  ): Principal {
    const roles = toArray(payload[rolesClaim]).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    const agencyValue = payload[agencyClaim];
    const agency =
      typeof agencyValue === 'string' && (AGENCIES as readonly string[]).includes(agencyValue) ? (agencyValue as Agency) : null;
    const username = payload[usernameClaim];
    if (!payload.sub || !roles.length) throw new InvalidTokenError('Token carries no subject or no known role');
    const organisationValue = payload[organisationClaim];
    const organisation = typeof organisationValue === 'string' && organisationValue.trim() ? organisationValue : null;
    const principal = { userId: payload.sub, username: typeof username === 'string' ? username : payload.sub, roles, agency, organisation };
    // docs/spec.md section 1: an applicant sees only its organisation's proposals; without one, all such
    // applicants would share the empty organisation.
    if (roles.includes('APPLICANT') && !organisation) {
      throw new RefusedTokenError(principal, `An APPLICANT token must carry a non-empty '${organisationClaim}' claim`);
    }
    return principal;
  }
}

function toArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}
