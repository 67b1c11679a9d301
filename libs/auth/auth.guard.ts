import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '../audit';
import { AppConfig, APP_CONFIG } from '../config';
import { AccountCheck, AccountRefusal } from './account-check';
import { DenialAggregate } from './denial-aggregate';
import { hasRole, Principal } from './principal';
import { ACCESS_POLICY, AccessPolicy, AuthenticatedRequest } from './policy';
import { InvalidTokenError, RefusedTokenError, TokenService } from './token.service';

interface HttpRequest extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The client address: the peer, or X-Forwarded-For's as far as TRUSTED_PROXIES vouch for it. */
  ip?: string;
}

type Bearer = Pick<Principal, 'username' | 'roles' | 'agency'>;

/**
 * Global guard: authentication by default, the account as it stands now, the route's role policy,
 * and an audit event for every denial (in aggregate for requests without a valid token: docs/spec.md section 4).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly accounts: AccountCheck,
    private readonly audit: AuditService,
    private readonly anonymousDenials: DenialAggregate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (policy?.kind === 'public') return true;
    if (policy?.kind === 'publicWhen' && this.config[policy.setting].public) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const user = await this.authenticate(request);
    request.user = user;
    if (!policy) return this.deny(request, user, 'Route declares no access policy');
    if (policy.kind === 'roles' && !hasRole(user, ...policy.roles)) {
      return this.deny(request, user, `Requires one of the roles ${policy.roles.join(', ')}`);
    }
    return true;
  }

  private async authenticate(request: HttpRequest): Promise<Principal> {
    const header = request.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) {
      this.countAnonymous(request, 'Missing bearer token');
      throw new UnauthorizedException('Authentication required: send a bearer token from POST /api/v1/auth/login');
    }
    let verified;
    try {
      verified = await this.tokens.verify(token);
    } catch (error) {
      if (error instanceof RefusedTokenError) {
        await this.record(request, error.principal, error.message);
        throw new UnauthorizedException(error.message);
      }
      if (!(error instanceof InvalidTokenError)) throw error;
      this.countAnonymous(request, error.message);
      throw new UnauthorizedException('Invalid or expired bearer token');
    }
    try {
      return await this.accounts.current(verified);
    } catch (error) {
      if (!(error instanceof AccountRefusal)) throw error;
      await this.record(request, verified.principal, error.message);
      throw new UnauthorizedException(`${error.message}: sign in again`);
    }
  }

  private countAnonymous(request: HttpRequest, reason: string): void {
    this.anonymousDenials.count(request.ip ?? 'unknown', reason, route(request));
  }

  private async deny(request: HttpRequest, user: Principal, reason: string): Promise<never> {
    await this.record(request, user, reason);
    throw new ForbiddenException('You are not allowed to do this');
  }

  private async record(request: HttpRequest, user: Bearer, reason: string): Promise<void> {
    await this.audit.record({
      actor: user.username,
      role: user.roles.join(',') || null,
      agency: user.agency,
      action: 'ACCESS_DENIED',
      subjectType: 'route',
      subjectId: route(request),
      reason,
      requestId: request.id ?? null,
    });
  }
}

function route(request: HttpRequest): string {
  return `${request.method} ${request.originalUrl.split('?')[0]}`;
}
