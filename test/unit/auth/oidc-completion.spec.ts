import { UnauthorizedException } from '@nestjs/common';
import { AuthService } from '../../../apps/api/src/auth/auth.service';
import type { AuditService } from '../../../libs/audit';
import { OidcSignIn, TokenService } from '../../../libs/auth';
import { loadConfig } from '../../../libs/config';
import type { UserRepository } from '../../../libs/db';

const config = loadConfig({
  NODE_ENV: 'test',
  OIDC_ISSUER: 'https://login.example.gov',
  OIDC_AUDIENCE: 'exports-desk',
  OIDC_JWKS_URL: 'https://login.example.gov/jwks',
  OIDC_CLIENT_ID: 'web',
  LOCAL_ACCOUNTS: 'on',
});

/** The sign-in's completion with the provider's answer given: the token the code exchange returns. */
function completing(token: () => Promise<string>) {
  const recorded: { actor: string; action: string; reason?: string | null }[] = [];
  const audit = { record: async (event: (typeof recorded)[number]) => void recorded.push(event) } as unknown as AuditService;
  const oidc = { offered: true, exchangeCode: token } as unknown as OidcSignIn;
  const tokens = new TokenService(config);
  const service = new AuthService(config, {} as UserRepository, tokens, audit, oidc);
  return { service, tokens, recorded, complete: () => service.completeOidcSignIn('code', 'v'.repeat(43), 'https://desk.example.gov/') };
}

describe('completing single sign-on (AuthService.completeOidcSignIn)', () => {
  it('refuses an opaque access token, saying the provider must issue JWTs, and audits it', async () => {
    const { complete, recorded } = completing(async () => 'an-opaque-reference-token');
    const refusal = await complete().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnauthorizedException);
    expect((refusal as Error).message).toMatch(/not a JWT; the provider must issue JWT access tokens/);
    expect(recorded).toEqual([
      expect.objectContaining({
        actor: 'anonymous',
        action: 'LOGIN_FAILED',
        reason: expect.stringMatching(/^Single sign-on: its access token is not a JWT/),
      }),
    ]);
  });

  it("refuses this API's own token handed back as the provider's", async () => {
    const tokens = new TokenService(config);
    const own = await tokens.issue({ userId: 'u-1', username: 'auditor', roles: ['AUDITOR'], agency: null, organisation: null });
    const { complete, recorded } = completing(async () => own.accessToken);
    await expect(complete()).rejects.toThrow(/Single sign-on failed: the token is not the identity provider’s/);
    expect(recorded).toEqual([expect.objectContaining({ actor: 'auditor', action: 'LOGIN_FAILED' })]);
  });
});
