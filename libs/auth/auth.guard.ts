import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuditService } from '../audit';
import { hasRole, Principal } from './principal';
import { ACCESS_POLICY, AccessPolicy, AuthenticatedRequest } from './policy';
import { InvalidTokenError, TokenService } from './token.service';

interface HttpRequest extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** Global guard: authentication by default, the route's role policy, and an audit event for every denial. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.getAllAndOverride<AccessPolicy | undefined>(ACCESS_POLICY, [context.getHandler(), context.getClass()]);
    if (policy?.kind === 'public') return true;
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
      await this.record(request, undefined, 'Missing bearer token');
      throw new UnauthorizedException('Authentication required: send a bearer token from POST /api/v1/auth/login');
    }
    try {
      return await this.tokens.verify(token);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      await this.record(request, undefined, error.message);
      throw new UnauthorizedException('Invalid or expired bearer token');
    }
  }

  private async deny(request: HttpRequest, user: Principal, reason: string): Promise<never> {
    await this.record(request, user, reason);
    throw new ForbiddenException('You are not allowed to do this');
  }

  private async record(request: HttpRequest, user: Principal | undefined, reason: string): Promise<void> {
    await this.audit.record({
      actor: user?.username ?? 'anonymous',
      role: user?.roles.join(',') ?? null,
      agency: user?.agency ?? null,
      action: 'ACCESS_DENIED',
      subjectType: 'route',
      subjectId: `${request.method} ${request.originalUrl.split('?')[0]}`,
      reason,
      requestId: request.id ?? null,
    });
  }
}
