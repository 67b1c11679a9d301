import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../domain/identity/roles';
import type { Principal } from './principal';

export const ACCESS_POLICY = 'exports-desk:access-policy';

/**
 * Every route declares who may call it; the guard denies routes that declare nothing, so a new
 * route cannot be reachable by accident.
 */
export type AccessPolicy =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'roles'; roles: readonly Role[] }
  | { kind: 'publicWhen'; setting: PublicSetting };

/** Configuration switches that open a signed-in route to anonymous readers (AppConfig). */
export type PublicSetting = 'catalogue';

/** No authentication (login, health, docs). */
export const Public = () => SetMetadata(ACCESS_POLICY, { kind: 'public' } satisfies AccessPolicy);
/** Any signed-in user; the service applies resource checks. */
export const Authenticated = () => SetMetadata(ACCESS_POLICY, { kind: 'authenticated' } satisfies AccessPolicy);
/** Any signed-in user, and anyone at all while the configuration's `setting` says the route is public. */
export const PublicWhen = (setting: PublicSetting) => SetMetadata(ACCESS_POLICY, { kind: 'publicWhen', setting } satisfies AccessPolicy);
/** Signed-in users holding one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_POLICY, { kind: 'roles', roles } satisfies AccessPolicy);

export interface AuthenticatedRequest {
  user?: Principal;
  id?: string;
  method: string;
  originalUrl: string;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});

/** The request's id (also in logs and the X-Request-Id header), for audit events. */
export const RequestId = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => ctx.switchToHttp().getRequest<AuthenticatedRequest>().id,
);
