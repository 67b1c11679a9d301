import { SignJWT } from 'jose';
import { loadConfig } from '../../../libs/config';
import { InvalidTokenError, TokenService } from '../../../libs/auth/token.service';
import type { Principal } from '../../../libs/auth/principal';

const OLD = 'o'.repeat(40);
const NEW = 'n'.repeat(40);
const principal: Principal = { userId: 'u-1', username: 'commerce.reviewer', roles: ['REVIEWER'], agency: 'COMMERCE', organisation: null };

const service = (env: NodeJS.ProcessEnv) => new TokenService(loadConfig({ NODE_ENV: 'test', ...env }));
const tokenUnder = async (secret: string) => (await service({ JWT_SECRET: secret }).issue(principal, 3)).accessToken;

describe('TokenService: JWT_SECRET rotation', () => {
  const rotated = service({ JWT_SECRET: NEW, JWT_SECRET_PREVIOUS: OLD });

  it('verifies a token signed with the previous secret while it is configured', async () => {
    const verified = await rotated.verify(await tokenUnder(OLD));
    expect(verified).toEqual({ principal, local: true, sessionVersion: 3 });
  });

  it('refuses that token once the previous secret is removed', async () => {
    const token = await tokenUnder(OLD);
    await expect(service({ JWT_SECRET: NEW }).verify(token)).rejects.toThrow(InvalidTokenError);
    await expect(service({ JWT_SECRET: NEW }).verify(token)).rejects.toThrow(/signature verification failed/);
  });

  it('refuses a token signed with a secret it does not know', async () => {
    await expect(rotated.verify(await tokenUnder('u'.repeat(40)))).rejects.toThrow(/Invalid bearer token: signature verification failed/);
  });

  it('signs new tokens with JWT_SECRET only', async () => {
    const { accessToken } = await rotated.issue(principal);
    await expect(service({ JWT_SECRET: NEW }).verify(accessToken)).resolves.toMatchObject({ principal });
    await expect(service({ JWT_SECRET: OLD }).verify(accessToken)).rejects.toThrow(InvalidTokenError);
  });

  it('still checks expiry and issuer of a token signed with the previous secret', async () => {
    const sign = (issuer: string, expiresAt: number) =>
      new SignJWT({ roles: ['REVIEWER'], username: 'r' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(issuer)
        .setSubject('u-1')
        .setExpirationTime(expiresAt)
        .sign(new TextEncoder().encode(OLD));
    const now = Math.floor(Date.now() / 1000);
    await expect(rotated.verify(await sign('exports-desk', now - 60))).rejects.toThrow(/"exp" claim timestamp check failed/);
    await expect(rotated.verify(await sign('someone-else', now + 60))).rejects.toThrow(/unexpected "iss" claim value/);
    await expect(rotated.verify(await sign('exports-desk', now + 60))).resolves.toMatchObject({ local: true });
  });
});
