import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditService } from '../../../../libs/audit';
import { Principal, TokenService, UNUSABLE_PASSWORD_HASH, verifyPassword } from '../../../../libs/auth';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';
import { UserEntity, UserRepository } from '../../../../libs/db';

export interface LoginResult {
  accessToken: string;
  expiresAt: Date;
  user: { username: string; displayName: string; roles: string[]; agency: string | null; organisation: string | null };
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
  ) {}

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
