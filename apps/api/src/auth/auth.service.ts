import { ForbiddenException, Inject, Injectable, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { decodeJwt, JWTPayload } from 'jose';
import { AuditService } from '../../../../libs/audit';
import {
  AuthorizationCodeRefusedError,
  IdentityProviderUnavailableError,
  InvalidTokenError,
  OidcSignIn,
  OidcWebSignIn,
  Principal,
  TokenService,
  UNUSABLE_PASSWORD_HASH,
  verifyPassword,
} from '../../../../libs/auth';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { UserEntity, UserRepository } from '../../../../libs/db';

export interface LoginResult {
  accessToken: string;
  expiresAt: Date;
  user: { username: string; displayName: string; roles: string[]; agency: string | null; organisation: string | null };
}

/** How a user may sign in here: what the sign-in page offers. */
export interface SignInMethods {
  localAccounts: boolean;
  oidc: OidcWebSignIn | null;
}

/** One answer for every failure, so a caller cannot learn whether a username exists or is locked. */
const INVALID_CREDENTIALS = 'Invalid username or password';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserRepository,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly oidc: OidcSignIn,
  ) {}

  async signInMethods(): Promise<SignInMethods> {
    return { localAccounts: this.config.auth.localAccounts, oidc: await unlessUnavailable(() => this.oidc.webSignIn()) };
  }

  /**
   * Completes the web UI's single sign-on: the code for the provider's access token, which must then
   * pass as a bearer token does (issuer, audience, a known role, an applicant's organisation).
   */
  async completeOidcSignIn(code: string, codeVerifier: string, redirectUri: string, requestId?: string): Promise<LoginResult> {
    if (!this.oidc.offered) throw new ForbiddenException('Single sign-on is not set up here (OIDC_CLIENT_ID is unset)');
    const refuse = async (actor: string, reason: string): Promise<never> => {
      await this.audit.record({
        actor,
        action: 'LOGIN_FAILED',
        subjectType: 'user',
        reason: `Single sign-on: ${reason}`,
        requestId,
      });
      throw new UnauthorizedException(`Single sign-on failed: ${reason}`);
    };
    let accessToken: string;
    try {
      accessToken = await unlessUnavailable(() => this.oidc.exchangeCode(code, codeVerifier, redirectUri));
    } catch (error) {
      if (!(error instanceof AuthorizationCodeRefusedError)) throw error;
      return refuse('anonymous', `the identity provider refused the authorization code (${error.message})`);
    }
    let principal: Principal;
    try {
      const verified = await this.tokens.verify(accessToken);
      if (verified.local) return refuse(verified.principal.username, 'the token is not the identity provider’s');
      principal = verified.principal;
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      const claims = claimsOf(accessToken);
      if (!claims) return refuse('anonymous', 'its access token is not a JWT; the provider must issue JWT access tokens for OIDC_AUDIENCE');
      return refuse(typeof claims.sub === 'string' ? claims.sub : 'anonymous', `its token is not accepted here: ${error.message}`);
    }
    const claims = decodeJwt(accessToken);
    await this.audit.record({
      actor: principal.username,
      role: principal.roles.join(','),
      agency: principal.agency,
      action: 'LOGIN_SUCCEEDED',
      subjectType: 'user',
      subjectId: principal.userId,
      reason: 'Single sign-on',
      requestId,
    });
    return {
      accessToken,
      // Verified: an exp, when there, is in the future. Without one the UI still ends the session in time.
      expiresAt: new Date(typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + this.config.auth.accessTokenTtlMs),
      user: {
        username: principal.username,
        displayName: typeof claims.name === 'string' && claims.name.trim() ? claims.name : principal.username,
        roles: principal.roles,
        agency: principal.agency,
        organisation: principal.organisation,
      },
    };
  }

  async login(username: string, password: string, requestId?: string): Promise<LoginResult> {
    if (!this.config.auth.localAccounts) {
      await this.audit.record({
        actor: username,
        action: 'LOGIN_FAILED',
        subjectType: 'user',
        reason: 'Local accounts are off',
        requestId,
      });
      throw new ForbiddenException('Password sign-in is off here (LOCAL_ACCOUNTS=off): sign in through the identity provider');
    }
    const user = await this.users.findForLogin(username);
    const refusal = await this.refusal(user, password);
    if (refusal) {
      await this.audit.record({
        actor: username,
        action: 'LOGIN_FAILED',
        subjectType: 'user',
        subjectId: user?.id ?? null,
        reason: refusal,
        requestId,
      });
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }
    const account = user as UserEntity;
    const { sessionVersion } = await this.users.recordSuccessfulLogin(account.id);
    const principal: Principal = {
      userId: account.id,
      username: account.username,
      roles: account.roles,
      agency: account.agency,
      organisation: account.organisation,
    };
    const { accessToken, expiresAt } = await this.tokens.issue(principal, sessionVersion);
    await this.audit.record({
      actor: account.username,
      role: account.roles.join(','),
      agency: account.agency,
      action: 'LOGIN_SUCCEEDED',
      subjectType: 'user',
      subjectId: account.id,
      requestId,
    });
    return {
      accessToken,
      expiresAt,
      user: {
        username: account.username,
        displayName: account.displayName,
        roles: account.roles,
        agency: account.agency,
        organisation: account.organisation,
      },
    };
  }

  /** Why the login is refused, or undefined when it succeeds. Always spends one password check. */
  private async refusal(user: UserEntity | null, password: string): Promise<string | undefined> {
    const matches = await verifyPassword(password, user?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
    if (!user) return 'Unknown username';
    if (user.disabled) return 'Account disabled';
    if (user.lockedUntil && user.lockedUntil > new Date()) return `Account locked until ${user.lockedUntil.toISOString()}`;
    if (matches) return undefined;
    const { locked } = await this.users.recordFailedLogin(user.id, this.config.auth.loginMaxAttempts, this.config.auth.loginLockoutMs);
    return locked ? `Wrong password; account locked after ${this.config.auth.loginMaxAttempts} failed attempts` : 'Wrong password';
  }
}

/** A token's claims, unverified, or null when it is not a JWT (an opaque access token). */
function claimsOf(token: string): JWTPayload | null {
  try {
    return decodeJwt(token);
  } catch {
    return null;
  }
}

/** The provider's outage as a 503 the sign-in page can show, never a 500. */
async function unlessUnavailable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof IdentityProviderUnavailableError) {
      throw new ServiceUnavailableException(`The identity provider is unavailable; retry shortly (${error.message})`);
    }
    throw error;
  }
}
