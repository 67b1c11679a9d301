import { TokenService } from '../../../libs/auth/token.service';
import { loadConfig } from '../../../libs/config';

const principal = { userId: 'u-1', username: 'auditor', roles: ['AUDITOR' as const], agency: null, organisation: null };
const oidc = {
  NODE_ENV: 'test',
  OIDC_ISSUER: 'https://login.example.gov/realms/exports',
  OIDC_AUDIENCE: 'exports-desk',
  OIDC_JWKS_URL: 'https://login.example.gov/jwks',
};

describe('local accounts off (LOCAL_ACCOUNTS)', () => {
  it('refuses tokens of this issuer, so turning local accounts off also ends their sessions', async () => {
    const on = new TokenService(loadConfig({ ...oidc, LOCAL_ACCOUNTS: 'on' }));
    const { accessToken } = await on.issue(principal);
    await expect(on.verify(accessToken)).resolves.toEqual(expect.objectContaining({ local: true, principal }));
    await expect(new TokenService(loadConfig(oidc)).verify(accessToken)).rejects.toThrow('Local accounts are off (LOCAL_ACCOUNTS=off)');
  });
});
