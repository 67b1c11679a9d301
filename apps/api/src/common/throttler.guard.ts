import { applyDecorators, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  Throttle,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig, APP_CONFIG } from '../../../../libs/config';

export const LOGIN_THROTTLER = 'login';
export const THROTTLE_WINDOW_MS = 60_000;
const LOGIN_LIMITED = 'exports-desk:login-limited';

/**
 * Puts a handler under the login limit (THROTTLE_LOGIN_PER_MINUTE per client). The limit follows
 * the handler, whatever path spelling reached it (`/auth/login/`, `/Auth/Login`).
 */
export const LoginLimit = () =>
  applyDecorators(SetMetadata(LOGIN_LIMITED, true), Throttle({ [LOGIN_THROTTLER]: { ttl: THROTTLE_WINDOW_MS } }));

export const hasLoginLimit = (context: ExecutionContext): boolean => Reflect.getMetadata(LOGIN_LIMITED, context.getHandler()) === true;

/** Probes must answer whatever the load: never throttled (matched by route pattern, not request path). */
const EXEMPT_ROUTES = new Set(['/health', '/metrics']);

/**
 * Per client address (`req.ip`: the peer, or X-Forwarded-For only as far as TRUSTED_PROXIES vouch
 * for it; Express `trust proxy` is set from that list here). Named throttlers announce
 * `Retry-After-<name>`; clients and proxies understand only the standard `Retry-After` (RFC 9110),
 * so the 429 carries that too.
 */
@Injectable()
export class StandardThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    const express = this.adapterHost.httpAdapter?.getInstance<{ set?: (name: string, value: unknown) => void }>();
    express?.set?.('trust proxy', this.config.trustedProxies.length ? this.config.trustedProxies : false);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const route = (context.switchToHttp().getRequest<Request>().route as { path?: unknown } | undefined)?.path;
    return typeof route === 'string' && EXEMPT_ROUTES.has(route);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    context
      .switchToHttp()
      .getResponse<Response>()
      .setHeader('Retry-After', String(Math.max(1, detail.timeToBlockExpire)));
    return super.throwThrottlingException(context, detail);
  }
}
