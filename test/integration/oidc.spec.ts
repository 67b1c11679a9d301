import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { spawnSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { loadConfig } from '../../libs/config';
import { projectPath } from '../../libs/config/paths';
import { freePort } from '../../scripts/lib/services';
import { Stack } from '../support/stack';

/** OIDC mode: tokens from an external issuer, verified against its JWKS served by a real local HTTP server. */
describe('OIDC bearer tokens', () => {
  const issuer = 'https://login.example.gov/realms/exports';
  let stack: Stack;
  let jwksServer: Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const port = await freePort();
    jwksServer = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    }).listen(port, '127.0.0.1');
    stack = await Stack.start({
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'exports-desk',
      OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks`,
      OIDC_ROLES_CLAIM: 'groups',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    jwksServer?.close();
  });

  const sign = (claims: Record<string, unknown>, audience = 'exports-desk') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject('oidc-user-1')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  it('maps the issuer’s claims to roles and agency', async () => {
    const token = await sign({ preferred_username: 'jane.state', groups: ['REVIEWER', 'not-a-role'], agency: 'STATE' });
    const me = await stack.request('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${token}` });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ userId: 'oidc-user-1', username: 'jane.state', roles: ['REVIEWER'], agency: 'STATE', organisation: null });
    const denied = await stack.request('GET', '/api/v1/audit', undefined, { authorization: `Bearer ${token}` });
    expect(denied.status).toBe(403);
  });

  it('refuses a token for another audience, and one signed by another key', async () => {
    const wrongAudience = await sign({ groups: ['AUDITOR'] }, 'another-app');
    expect((await stack.request('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${wrongAudience}` })).status).toBe(401);
    const other = await generateKeyPair('RS256');
    const forged = await new SignJWT({ groups: ['AUDITOR'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuer(issuer)
      .setAudience('exports-desk')
      .setSubject('x')
      .setExpirationTime('5m')
      .sign(other.privateKey);
    expect((await stack.request('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('refuses an applicant token without an organisation (401 saying why, audited) instead of the shared empty organisation', async () => {
    for (const [username, organisation] of [
      ['no.org', undefined],
      ['empty.org', ''],
      ['blank.org', '  '],
    ] as const) {
      const token = await sign({
        preferred_username: username,
        groups: ['APPLICANT'],
        ...(organisation === undefined ? {} : { organisation }),
      });
      const res = await stack.request('GET', '/api/v1/proposals', undefined, { authorization: `Bearer ${token}` });
      expect({ username, status: res.status }).toEqual({ username, status: 401 });
      expect(res.body.message).toMatch(/APPLICANT token must carry a non-empty 'organisation' claim/);
      expect(await stack.sql(`SELECT action, reason FROM audit_event WHERE actor = $1`, [username])).toEqual([
        { action: 'ACCESS_DENIED', reason: expect.stringMatching(/organisation/) },
      ]);
    }
    const withOrganisation = await sign({ preferred_username: 'acme.oidc', groups: ['APPLICANT'], organisation: 'Acme AI Consortium' });
    const me = await stack.request('GET', '/api/v1/auth/me', undefined, { authorization: `Bearer ${withOrganisation}` });
    expect(me.status).toBe(200);
    expect(me.body.organisation).toBe('Acme AI Consortium');
  });

  it('turns local accounts off with OIDC: no password sign-in, no new local accounts, no local tokens', async () => {
    const login = await stack.request('POST', '/api/v1/auth/login', { username: 'auditor', password: 'exports-demo' });
    expect(login.status).toBe(403);
    expect(login.body.message).toMatch(/Password sign-in is off here \(LOCAL_ACCOUNTS=off\)/);
    expect(await stack.sql(`SELECT action, reason FROM audit_event WHERE actor = 'auditor'`)).toEqual([
      { action: 'LOGIN_FAILED', reason: 'Local accounts are off' },
    ]);

    const admin = await sign({ preferred_username: 'idp.admin', groups: ['ADMIN'] });
    const create = await stack.request(
      'POST',
      '/api/v1/admin/users',
      { username: 'local.user', displayName: 'Local', password: 'a long enough password', roles: ['AUDITOR'] },
      { authorization: `Bearer ${admin}` },
    );
    expect(create.status).toBe(422);
    expect(await stack.sql(`SELECT 1 FROM app_user WHERE username = 'local.user'`)).toEqual([]);

    // A token this API would have issued to a seeded account, had local sign-in been on.
    const [auditor] = await stack.sql<{ id: string }>(`SELECT id FROM app_user WHERE username = 'auditor'`);
    const local = await new SignJWT({ username: 'auditor', roles: ['AUDITOR'], agency: null, organisation: null, sv: 0 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('exports-desk')
      .setSubject(auditor.id)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(loadConfig({ NODE_ENV: 'test' }).auth.jwtSecret));
    const refused = await stack.request('GET', '/api/v1/audit', undefined, { authorization: `Bearer ${local}` });
    // Why is told in test/unit/auth/local-accounts.spec.ts: the answer names no reason.
    expect(refused.status).toBe(401);
  });

  it('refuses to start with OIDC_ISSUER but no OIDC_AUDIENCE, naming the variable', () => {
    const result = spawnSync(process.execPath, [projectPath('dist', 'apps/api/src/main.js')], {
      env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'warn', OIDC_ISSUER: issuer, OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('OIDC_AUDIENCE: required when OIDC_ISSUER is set');
  });
});
