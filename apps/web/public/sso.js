// Single sign-on through the agency's identity provider: the OAuth 2.0 authorization code flow with
// PKCE (RFC 7636). The browser keeps the verifier and the state; the API exchanges the code
// (POST /auth/oidc/token), so the provider need not allow this origin and the CSP stays 'self'.
import { ApiError, request } from './api.js';

const PENDING_KEY = 'exportsDesk.sso';

const base64url = (bytes) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** Where the provider sends the browser back to: the UI's own page, which finishes the sign-in. */
const redirectUri = () => `${location.origin}${location.pathname}`;

/** Sends the browser to the provider's sign-in; it comes back to finishSingleSignOn() on the page the user was on. */
export async function startSingleSignOn(oidc) {
  if (!globalThis.crypto?.subtle) {
    throw new Error('Single sign-on needs this page served over HTTPS: browsers compute its PKCE challenge only in a secure context.');
  }
  const verifier = randomText();
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = randomText();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, verifier, redirectUri: redirectUri(), returnTo: location.hash }));
  const url = new URL(oidc.authorizationEndpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: oidc.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  location.assign(url.href);
}

/**
 * On the way back from the provider (?code or ?error with ?state): the session's sign-in result, or
 * the message to show on the sign-in page. Null when this page load is not a return from the provider.
 * The query is removed from the address either way, so a reload does not replay a used code.
 */
export async function finishSingleSignOn() {
  const params = new URLSearchParams(location.search);
  if (!params.has('state') || !(params.has('code') || params.has('error'))) return null;
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PENDING_KEY);
  history.replaceState(null, '', `${location.pathname}${pending?.returnTo ?? ''}`);
  if (!pending || pending.state !== params.get('state')) {
    return { message: 'That sign-in was not started from this tab, or has already been used. Please sign in again.' };
  }
  if (params.has('error')) {
    const why = params.get('error_description') || params.get('error');
    return { message: `The identity provider did not sign you in: ${why}.` };
  }
  try {
    const result = await request(
      'POST',
      '/auth/oidc/token',
      { code: params.get('code'), codeVerifier: pending.verifier, redirectUri: pending.redirectUri },
      { authenticated: false },
    );
    return { result };
  } catch (error) {
    return { message: error instanceof ApiError ? error.message : 'The sign-in could not be completed. Please try again.' };
  }
}
