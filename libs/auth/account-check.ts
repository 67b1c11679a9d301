import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config';
import { UserRepository, UserSessionState } from '../db';
import type { Principal } from './principal';
import type { VerifiedToken } from './token.service';

const MAX_ENTRIES = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a genuine token no longer admits its bearer. */
export class AccountRefusal extends Error {}

/**
 * Checks a local token's account on each request, so that disabling a user, changing its roles or
 * revoking its sessions applies at once rather than when the token expires. Answers are cached for
 * ACCOUNT_CHECK_CACHE per process; `forget` drops an entry at once after an admin change here.
 */
@Injectable()
export class AccountCheck {
  private readonly cache = new Map<string, { state: UserSessionState | null; until: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserRepository,
  ) {}

  /** The principal as the account stands now: current roles, agency and organisation. */
  async current({ principal, local, sessionVersion }: VerifiedToken): Promise<Principal> {
    if (!local) return principal; // an external issuer's subject: its IdP governs the account
    const state = await this.state(principal.userId);
    if (!state) throw new AccountRefusal('Account no longer exists');
    if (state.disabled) throw new AccountRefusal('Account disabled');
    if (sessionVersion < state.sessionVersion) throw new AccountRefusal('Session revoked');
    return { ...principal, roles: state.roles, agency: state.agency, organisation: state.organisation };
  }

  forget(userId: string): void {
    this.cache.delete(userId);
  }

  private async state(userId: string): Promise<UserSessionState | null> {
    const now = Date.now();
    const cached = this.cache.get(userId);
    if (cached && cached.until > now) return cached.state;
    const state = UUID.test(userId) ? await this.users.findSessionState(userId) : null;
    if (this.config.auth.accountCheckCacheMs > 0) {
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
      this.cache.set(userId, { state, until: now + this.config.auth.accountCheckCacheMs });
    }
    return state;
  }
}
