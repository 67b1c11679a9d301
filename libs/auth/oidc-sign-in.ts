import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config';

/** What the web UI needs to send a user to the identity provider (authorization code flow with PKCE). */
export interface OidcWebSignIn {
  providerName: string;
  authorizationEndpoint: string;
  clientId: string;
  scope: string;
}

/** The identity provider did not answer, or answered with a server error: worth retrying later. */
export class IdentityProviderUnavailableError extends Error {}

/** The identity provider refused the authorization code (used, expired, wrong verifier or redirect URI). */
export class AuthorizationCodeRefusedError extends Error {}

/** The fields of the provider's metadata (OpenID Connect Discovery 1.0, section 3) the sign-in uses. */
interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

/** Providers rarely move their endpoints; a restart or this long picks up a change. */
const METADATA_TTL_MS = 15 * 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The web UI's single sign-on at the OIDC issuer (OIDC_ISSUER, OIDC_CLIENT_ID): the browser is sent to
 * the provider's authorization endpoint with a PKCE challenge (RFC 7636) and comes back with a code,
 * which the API exchanges here for the provider's access token. The token is then verified like any
 * bearer token (TokenService), so the browser holds what an API client of the provider would hold.
 * The exchange runs on the server so that the provider need not allow the UI's origin (CORS) and the
 * UI's Content-Security-Policy stays 'self'.
 */
@Injectable()
export class OidcSignIn {
  private metadata?: { value: ProviderMetadata; fetchedAt: number };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether the web UI may sign in through the provider (OIDC_CLIENT_ID set). */
  get offered(): boolean {
    return Boolean(this.config.auth.oidc?.webClient);
  }

  /** The authorization request's fixed parts, or null when single sign-on is not set up. */
  async webSignIn(): Promise<OidcWebSignIn | null> {
    const client = this.config.auth.oidc?.webClient;
    if (!client) return null;
    const { authorization_endpoint: authorizationEndpoint } = await this.discover();
    return { providerName: client.providerName, authorizationEndpoint, clientId: client.clientId, scope: client.scope };
  }

  /** The access token for an authorization code (RFC 6749 section 4.1.3, with RFC 7636's code_verifier). */
  async exchangeCode(code: string, codeVerifier: string, redirectUri: string): Promise<string> {
    const client = this.config.auth.oidc?.webClient;
    if (!client) throw new Error('Single sign-on is not set up (OIDC_CLIENT_ID)');
    const { token_endpoint: tokenEndpoint } = await this.discover();
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: codeVerifier,
      redirect_uri: redirectUri,
      client_id: client.clientId,
    });
    const response = await this.call(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form,
    });
    const body = ((await response.json().catch(() => null)) ?? {}) as {
      access_token?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (response.status >= 500)
      throw new IdentityProviderUnavailableError(`The identity provider's token endpoint answered ${response.status}`);
    if (!response.ok) {
      const reason = [body.error, body.error_description].filter((part) => typeof part === 'string' && part).join(': ');
      throw new AuthorizationCodeRefusedError(reason || `HTTP ${response.status}`);
    }
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new AuthorizationCodeRefusedError('The token response carries no access_token');
    }
    return body.access_token;
  }

  /** The provider's metadata from its well-known document, checked to name the configured issuer (Discovery section 4.3). */
  private async discover(): Promise<ProviderMetadata> {
    if (this.metadata && Date.now() - this.metadata.fetchedAt < METADATA_TTL_MS) return this.metadata.value;
    const issuer = this.config.auth.oidc?.issuer as string;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await this.call(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new IdentityProviderUnavailableError(`${url} answered ${response.status}`);
    const value = ((await response.json().catch(() => null)) ?? {}) as Partial<ProviderMetadata>;
    if (value.issuer !== issuer) {
      throw new IdentityProviderUnavailableError(`${url} names the issuer ${JSON.stringify(value.issuer)}, not OIDC_ISSUER ${issuer}`);
    }
    if (typeof value.authorization_endpoint !== 'string' || typeof value.token_endpoint !== 'string') {
      throw new IdentityProviderUnavailableError(`${url} lacks an authorization_endpoint or a token_endpoint`);
    }
    this.metadata = { value: value as ProviderMetadata, fetchedAt: Date.now() };
    return this.metadata.value;
  }

  private async call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new IdentityProviderUnavailableError(`${url} could not be reached: ${(error as Error).message}`);
    }
  }
}
