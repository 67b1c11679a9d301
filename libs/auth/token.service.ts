import { Inject, Injectable } from '@nestjs/common';
import { createRemoteJWKSet, decodeJwt, JWTPayload, jwtVerify, SignJWT } from 'jose';
import { AppConfig, APP_CONFIG } from '../config';
import { AGENCIES, Agency, Role, ROLES } from '../domain/identity/roles';
import type { Principal } from './principal';

const ISSUER = 'exports-desk';

export class InvalidTokenError extends Error {}

/**
 * Issues short-lived HS256 access tokens at login and verifies bearer tokens: our own, or (OIDC
 * mode) an external issuer's, checked against its JWKS with claims mapped to roles and agency.
 */
@Injectable()
export class TokenService {
  private readonly secret: Uint8Array;
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.secret = new TextEncoder().encode(config.auth.jwtSecret);
    if (config.auth.oidc) this.jwks = createRemoteJWKSet(new URL(config.auth.oidc.jwksUrl));
  }

  async issue(principal: Principal): Promise<{ accessToken: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.config.auth.accessTokenTtlMs);
    const accessToken = await new SignJWT({
      username: principal.username,
      roles: principal.roles,
      agency: principal.agency,
      organisation: principal.organisation,
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(principal.userId)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.secret);
    return { accessToken, expiresAt };
  }

  async verify(token: string): Promise<Principal> {
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
        return this.fromClaims(payload, oidc.rolesClaim, oidc.agencyClaim, oidc.organisationClaim, 'preferred_username');
      }
      const { payload } = await jwtVerify(token, this.secret, { issuer: ISSUER, algorithms: ['HS256'] });
      return this.fromClaims(payload, 'roles', 'agency', 'organisation', 'username');
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      throw new InvalidTokenError(`Invalid bearer token: ${(error as Error).message}`);
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
    const organisation = payload[organisationClaim];
    return {
      userId: payload.sub,
      username: typeof username === 'string' ? username : payload.sub,
      roles,
      agency,
      organisation: typeof organisation === 'string' ? organisation : null,
    };
  }
}

function toArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : [];
}
