import { Stack } from '../support/stack';

/** The account behind a token is checked on each request (ACCOUNT_CHECK_CACHE), and an admin can revoke a user's sessions. */
describe('sessions follow the account', () => {
  const CACHE_MS = 1000;
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ ACCOUNT_CHECK_CACHE: `${CACHE_MS}ms`, THROTTLE_LOGIN_PER_MINUTE: '1000' });
  });
  afterAll(() => stack?.stop());

  let n = 0;
  const PASSWORD = 'a-long-password-123';
  async function newUser(roles: string[], agency: string | null): Promise<{ id: string; username: string; token: string }> {
    const username = `session.user${++n}`;
    const created = await stack.as('admin', 'POST', '/api/v1/admin/users', {
      username,
      displayName: username,
      password: PASSWORD,
      roles,
      agency,
    });
    expect(created.status).toBe(201);
    const login = await stack.request('POST', '/api/v1/auth/login', { username, password: PASSWORD });
    expect(login.status).toBe(200);
    return { id: created.body.id, username, token: login.body.accessToken };
  }
  const call = (token: string, method: string, path: string) =>
    stack.request(method, path, undefined, { authorization: `Bearer ${token}` });
  /** Polls for at most the cache time plus a margin: the change must apply within ACCOUNT_CHECK_CACHE. */
  const within = (what: string, probe: () => Promise<boolean>) => stack.eventually(what, probe, CACHE_MS + 1500);

  it('refuses the existing token of a user an admin disables (401, audited)', async () => {
    const user = await newUser(['REVIEWER'], 'STATE');
    expect((await call(user.token, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expect((await stack.as('admin', 'PATCH', `/api/v1/admin/users/${user.id}`, { disabled: true })).status).toBe(200);
    await within('the disabled user refused', async () => (await call(user.token, 'GET', '/api/v1/auth/me')).status === 401);
    const refused = await call(user.token, 'GET', '/api/v1/tasks');
    expect(refused.status).toBe(401);
    expect(refused.body.message).toMatch(/disabled/i);
    const audit = await stack.sql(`SELECT actor, reason FROM audit_event WHERE action = 'ACCESS_DENIED' AND actor = $1`, [user.username]);
    expect(audit).toEqual(expect.arrayContaining([{ actor: user.username, reason: 'Account disabled' }]));
    // Re-enabling does not revive the old token: disabling revoked its sessions too.
    expect((await stack.as('admin', 'PATCH', `/api/v1/admin/users/${user.id}`, { disabled: false })).status).toBe(200);
    await new Promise((r) => setTimeout(r, CACHE_MS + 200));
    expect((await call(user.token, 'GET', '/api/v1/auth/me')).status).toBe(401);
  });

  it('lets an admin revoke a user’s sessions: earlier tokens get 401, a new login works, and the revocation is audited', async () => {
    const user = await newUser(['REVIEWER'], 'STATE');
    expect((await call(user.token, 'GET', '/api/v1/auth/me')).status).toBe(200);
    const revoked = await stack.as('admin', 'POST', `/api/v1/admin/users/${user.id}/sessions/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toEqual({ userId: user.id, sessionsRevokedAt: expect.any(String) });
    await within('the revoked token refused', async () => (await call(user.token, 'GET', '/api/v1/auth/me')).status === 401);
    expect((await call(user.token, 'GET', '/api/v1/auth/me')).body.message).toMatch(/revoked/i);
    const again = await stack.request('POST', '/api/v1/auth/login', { username: user.username, password: PASSWORD });
    expect((await call(again.body.accessToken, 'GET', '/api/v1/auth/me')).status).toBe(200);
    expect(await stack.sql(`SELECT actor FROM audit_event WHERE action = 'USER_SESSIONS_REVOKED' AND subject_id = $1`, [user.id])).toEqual([
      { actor: 'admin' },
    ]);
    expect((await stack.as('admin', 'POST', `/api/v1/admin/users/00000000-0000-4000-8000-000000000000/sessions/revoke`)).status).toBe(404);
    expect((await stack.as('auditor', 'POST', `/api/v1/admin/users/${user.id}/sessions/revoke`)).status).toBe(403);
  });

  it('resets a password in one change: a short one is refused by field, then the old password and tokens stop working, the new one signs in, audited', async () => {
    const user = await newUser(['REVIEWER'], 'STATE');
    const path = `/api/v1/admin/users/${user.id}`;
    const short = await stack.as('admin', 'PATCH', path, { password: 'too-short' });
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([{ field: 'password', message: 'password must be at least 12 characters' }]);
    const empty = await stack.as('admin', 'PATCH', path, {});
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual([{ field: '', message: 'body must contain at least one field' }]);
    expect((await stack.request('POST', '/api/v1/auth/login', { username: user.username, password: 'wrong-password-1' })).status).toBe(401);
    expect((await call(user.token, 'GET', '/api/v1/auth/me')).status).toBe(200);

    const NEW_PASSWORD = 'another-long-password-456';
    const reset = await stack.as('admin', 'PATCH', path, { password: NEW_PASSWORD });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual(expect.objectContaining({ id: user.id, username: user.username, disabled: false }));
    expect(reset.body.passwordHash).toBeUndefined();
    await within('the token of the old password refused', async () => (await call(user.token, 'GET', '/api/v1/auth/me')).status === 401);
    expect((await stack.request('POST', '/api/v1/auth/login', { username: user.username, password: PASSWORD })).status).toBe(401);
    const login = await stack.request('POST', '/api/v1/auth/login', { username: user.username, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
    expect((await call(login.body.accessToken, 'GET', '/api/v1/auth/me')).status).toBe(200);
    // The one UPDATE also cleared the failure count and moved the session version once.
    expect(await stack.sql(`SELECT failed_logins, session_version FROM app_user WHERE id = $1`, [user.id])).toEqual([
      { failed_logins: 0, session_version: 1 },
    ]);

    // With other changes the reset is audited next to the update; the hash never is.
    expect((await stack.as('admin', 'PATCH', path, { displayName: 'Renamed', password: `${NEW_PASSWORD}-2` })).status).toBe(200);
    const audit = await stack.sql(
      `SELECT actor, action, after FROM audit_event WHERE subject_id = $1 AND action LIKE 'USER\\_%' ORDER BY id`,
      [user.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['USER_CREATED', 'USER_PASSWORD_RESET', 'USER_UPDATED', 'USER_PASSWORD_RESET']);
    expect(audit[1]).toEqual({ actor: 'admin', action: 'USER_PASSWORD_RESET', after: { username: user.username, sessionsRevoked: true } });
    expect(audit[2].after).toEqual(expect.objectContaining({ displayName: 'Renamed' }));
    expect(JSON.stringify(audit)).not.toMatch(/passwordHash|password_hash|another-long-password/);
  });

  it('applies changed roles to an existing token at once', async () => {
    const user = await newUser(['REVIEWER'], 'STATE');
    expect((await call(user.token, 'GET', '/api/v1/audit')).status).toBe(403);
    expect((await stack.as('admin', 'PATCH', `/api/v1/admin/users/${user.id}`, { roles: ['AUDITOR'] })).status).toBe(200);
    await within('the new role granted', async () => (await call(user.token, 'GET', '/api/v1/audit')).status === 200);
    expect((await call(user.token, 'GET', '/api/v1/auth/me')).body.roles).toEqual(['AUDITOR']);
    expect((await stack.as('admin', 'PATCH', `/api/v1/admin/users/${user.id}`, { roles: ['REVIEWER'] })).status).toBe(200);
    await within('the old role withdrawn', async () => (await call(user.token, 'GET', '/api/v1/audit')).status === 403);
  });
});
