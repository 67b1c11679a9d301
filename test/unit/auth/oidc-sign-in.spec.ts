import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { IdentityProviderUnavailableError, OidcSignIn } from '../../../libs/auth/oidc-sign-in';
import { loadConfig } from '../../../libs/config';

/** The provider's discovery document as a local HTTP server serves it: whatever `metadata(issuer)` says. */
async function serveDiscovery(
  metadata: (issuer: string) => object | null,
): Promise<{ issuer: string; server: Server; hits: () => number }> {
  let hits = 0;
  const server = createServer((request, response) => {
    hits += 1;
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.url !== '/.well-known/openid-configuration') return void response.writeHead(404).end();
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(metadata(issuer)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { issuer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits };
}

const signIn = (issuer: string, client: NodeJS.ProcessEnv = { OIDC_CLIENT_ID: 'web' }) =>
  new OidcSignIn(
    loadConfig({
      NODE_ENV: 'test',
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'exports-desk',
      OIDC_JWKS_URL: `${issuer}/jwks`,
      ...client,
      OIDC_SCOPE: 'openid exports-desk',
    }),
  );

describe('OidcSignIn (the web UI single sign-on)', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  it("gives the provider's authorization endpoint with the client and scope, and reads the discovery document once", async () => {
    const provider = await serveDiscovery((issuer) => ({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
    }));
    servers.push(provider.server);
    const sso = signIn(provider.issuer);
    const expected = {
      providerName: 'single sign-on',
      authorizationEndpoint: `${provider.issuer}/auth`,
      clientId: 'web',
      scope: 'openid exports-desk',
    };
    await expect(sso.webSignIn()).resolves.toEqual(expected);
    await expect(sso.webSignIn()).resolves.toEqual(expected);
    expect(provider.hits()).toBe(1);
  });

  it('offers nothing without OIDC_CLIENT_ID', async () => {
    const sso = signIn('http://127.0.0.1:9', {});
    expect(sso.offered).toBe(false);
    await expect(sso.webSignIn()).resolves.toBeNull();
  });

  it('treats a document naming another issuer, or lacking an endpoint, as the provider unavailable', async () => {
    const impostor = await serveDiscovery(() => ({
      issuer: 'https://elsewhere.example',
      authorization_endpoint: 'a',
      token_endpoint: 't',
    }));
    const partial = await serveDiscovery((issuer) => ({ issuer, authorization_endpoint: `${issuer}/auth` }));
    servers.push(impostor.server, partial.server);
    await expect(signIn(impostor.issuer).webSignIn()).rejects.toThrow(/names the issuer "https:\/\/elsewhere.example", not OIDC_ISSUER/);
    await expect(signIn(partial.issuer).webSignIn()).rejects.toThrow(/lacks an authorization_endpoint or a token_endpoint/);
    await expect(signIn(partial.issuer).webSignIn()).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
    const empty = await serveDiscovery(() => null);
    servers.push(empty.server);
    await expect(signIn(empty.issuer).webSignIn()).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('says the provider could not be reached when nothing listens', async () => {
    const closed = await serveDiscovery(() => ({}));
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(signIn(closed.issuer).webSignIn()).rejects.toThrow(/could not be reached/);
  });
});
