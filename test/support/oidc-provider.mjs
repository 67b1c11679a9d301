// A real OpenID Provider for the single sign-on tests: panva's certified oidc-provider with its
// development sign-in pages (any password), one public client (PKCE) and JWT access tokens for the
// API's audience, carrying each account's roles and agency the way an agency's IdP would map them.
// Run as its own process (the package is ESM-only): node oidc-provider.mjs; prints "ready <issuer>".
//   OIDC_PORT, OIDC_REDIRECT_URI, OIDC_CLIENT_ID, OIDC_AUDIENCE, OIDC_SCOPE (the API's scope),
//   OIDC_ACCOUNTS: JSON { login: { preferred_username, name, roles, agency, organisation } }
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const { OIDC_PORT, OIDC_REDIRECT_URI, OIDC_CLIENT_ID, OIDC_AUDIENCE, OIDC_SCOPE, OIDC_ACCOUNTS } = process.env;
const issuer = `http://127.0.0.1:${OIDC_PORT}`;
const accounts = JSON.parse(OIDC_ACCOUNTS ?? '{}');
const RESOURCE = 'urn:exports-desk:api';
// A login the provider knows nothing about still signs in there, with no claims the API maps to a role.
const claimsOf = (login) => accounts[login] ?? { preferred_username: login };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: OIDC_CLIENT_ID,
      token_endpoint_auth_method: 'none',
      redirect_uris: [OIDC_REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: {
    keys: [
      {
        ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
        kid: 'sso-test',
        use: 'sig',
        alg: 'RS256',
      },
    ],
  },
  cookies: { keys: ['exports-desk-sso-test-cookie-key'] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...claimsOf(id) }) }),
  claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
  features: {
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: OIDC_SCOPE,
        audience: OIDC_AUDIENCE,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) => (token.kind === 'AccessToken' ? claimsOf(token.accountId) : undefined),
});

provider.listen(Number(OIDC_PORT), () => console.log(`ready ${issuer}`));
