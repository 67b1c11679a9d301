import { ChildProcess, spawn } from 'node:child_process';
import { Browser } from 'playwright-core';
import { projectPath } from '../../../libs/config/paths';
import { freePort, stopProcess, waitFor } from '../../../scripts/lib/services';
import { launchChromium, UiPage } from '../../support/browser';
import { Stack } from '../../support/stack';

const CLIENT_ID = 'exports-desk-web';
const ACCOUNTS = {
  'jane.state': { preferred_username: 'jane.state', name: 'Jane State', roles: ['REVIEWER'], agency: 'STATE' },
};

/**
 * Single sign-on in Chromium against a real OpenID Provider (oidc-provider, its own process): the
 * authorization code flow with PKCE from the sign-in page, the code exchanged by the API, and the
 * provider's token then used like any bearer token. Password sign-in stays offered beside it.
 */
describe('web UI: single sign-on through the identity provider', () => {
  let provider: ChildProcess | undefined;
  let stack: Stack;
  let browser: Browser;
  let ui: UiPage;

  beforeAll(async () => {
    const [apiPort, providerPort] = [await freePort(), await freePort()];
    const issuer = `http://127.0.0.1:${providerPort}`;
    let printed = '';
    provider = spawn(process.execPath, [projectPath('test', 'support', 'oidc-provider.mjs')], {
      env: {
        PATH: process.env.PATH,
        OIDC_PORT: String(providerPort),
        OIDC_REDIRECT_URI: `http://127.0.0.1:${apiPort}/`,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_AUDIENCE: 'exports-desk',
        OIDC_SCOPE: 'exports-desk',
        OIDC_ACCOUNTS: JSON.stringify(ACCOUNTS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    provider.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    provider.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await waitFor('the identity provider', async () => printed.includes(`ready ${issuer}`), 30_000).catch((error: Error) => {
      throw new Error(`${error.message}; it printed: ${printed}`);
    });
    [stack, browser] = await Promise.all([
      Stack.start({
        PORT: String(apiPort),
        OIDC_ISSUER: issuer,
        OIDC_AUDIENCE: 'exports-desk',
        OIDC_JWKS_URL: `${issuer}/jwks`,
        OIDC_CLIENT_ID: CLIENT_ID,
        OIDC_SCOPE: 'openid profile exports-desk',
        OIDC_PROVIDER_NAME: 'the agency login',
        LOCAL_ACCOUNTS: 'on',
      }),
      launchChromium(),
    ]);
    ui = await UiPage.open(browser, stack.baseUrl);
  }, 180_000);
  afterEach(() => expect(ui?.errors ?? []).toEqual([]));
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await stopProcess(provider);
  });

  /** From the Exports Desk sign-in page through the provider's own sign-in and consent pages. */
  async function signInAtProvider(login: string): Promise<void> {
    await ui.page.getByRole('button', { name: 'Sign in with the agency login' }).click();
    await ui.page.locator('input[name="login"]').fill(login);
    await ui.page.locator('input[name="password"]').fill('whatever-the-provider-checks');
    await ui.page.getByRole('button', { name: 'Sign-in' }).click();
    await ui.page.getByRole('button', { name: 'Continue' }).click();
  }

  it('offers single sign-on beside the password form, accessibly', async () => {
    await ui.goto('proposals');
    await ui.page.getByRole('button', { name: 'Sign in with the agency login' }).waitFor();
    await ui.page.getByLabel('Password').waitFor();
    await ui.page.getByText('or with a password').waitFor();
    await ui.screen('sign-in-single-sign-on');
  });

  it('signs a reviewer in at the provider and brings them back to the page they asked for', async () => {
    await signInAtProvider('jane.state');
    await ui.page.locator('#user-box button').waitFor({ state: 'attached' });
    await ui.page.getByRole('heading', { name: 'Proposals', level: 1 }).waitFor();
    const url = new URL(ui.page.url());
    expect(url.search).toBe('');
    expect(url.hash).toBe('#/proposals'); // not the reviewer's start page, the inbox
    await ui.settled();
    expect(await ui.page.locator('#user-box').textContent()).toContain('Jane State');
    const [audit] = await stack.sql<{ actor: string; reason: string }>(
      `SELECT actor, reason FROM audit_event WHERE action = 'LOGIN_SUCCEEDED' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toEqual({ actor: 'jane.state', reason: 'Single sign-on' });
    await ui.signOut();
  });

  it('refuses a provider account that holds no Exports Desk role, and says why', async () => {
    // Signing out here leaves the provider's own session; another person at this browser starts afresh.
    await ui.page.context().clearCookies();
    await signInAtProvider('someone.else');
    await ui.page.getByRole('heading', { name: 'Sign in to Exports Desk' }).waitFor();
    await ui.page.getByText(/Single sign-on failed: its token is not accepted here: .*no known role/).waitFor();
    expect(new URL(ui.page.url()).search).toBe('');
    const [audit] = await stack.sql<{ actor: string; reason: string }>(
      `SELECT actor, reason FROM audit_event WHERE action = 'LOGIN_FAILED' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.actor).toBe('someone.else');
    expect(audit.reason).toMatch(/^Single sign-on: its token is not accepted here/);
  });

  it('does not sign in from a return the tab did not start', async () => {
    await ui.page.goto(`${stack.baseUrl}/?code=stolen-code&state=not-this-tabs`);
    await ui.page.getByText(/not started from this tab/).waitFor();
    expect(new URL(ui.page.url()).search).toBe('');
  });

  it('answers a malformed exchange 400 by field, a refused code 401, and a provider that is down 503', async () => {
    const malformed = await stack.request('POST', '/api/v1/auth/oidc/token', { code: 'x', codeVerifier: 'short', redirectUri: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['codeVerifier', 'redirectUri']);
    const exchange = { code: 'never-issued', codeVerifier: 'v'.repeat(43), redirectUri: `${stack.baseUrl}/` };
    const refused = await stack.request('POST', '/api/v1/auth/oidc/token', exchange);
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/identity provider refused the authorization code \(invalid_grant/);
    await stopProcess(provider);
    const down = await stack.request('POST', '/api/v1/auth/oidc/token', exchange);
    expect(down.status).toBe(503);
    expect(down.body.message).toMatch(/identity provider is unavailable/);
  });
});
