import { randomUUID } from 'node:crypto';
import { API_CONTROLLERS } from '../../apps/api/src/api.module';
import demoUsers from '../../data/demo-users.json';
import { completeProposal } from '../support/fixtures';
import { routesOf } from '../support/routes';
import { Stack } from '../support/stack';
import { waitFor } from '../../scripts/lib/services';

const ROUTES = routesOf(API_CONTROLLERS);
const USERS = demoUsers.users;
const SOME_ID = '00000000-0000-4000-8000-000000000000';

describe('identity, authorization and audit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({
      THROTTLE_LOGIN_PER_MINUTE: '1000',
      THROTTLE_READS_PER_MINUTE: '100000',
      THROTTLE_WRITES_PER_MINUTE: '100000',
      LOGIN_LOCKOUT: '3s',
      DENIAL_AUDIT_WINDOW: '1s',
    });
  });
  afterAll(() => stack?.stop());

  const deniedEvents = (requestId: string) =>
    stack.sql(`SELECT action, actor, reason FROM audit_event WHERE request_id = $1 AND action = 'ACCESS_DENIED'`, [requestId]);

  it('gives every route an access policy', () => {
    const missing = ROUTES.filter((r) => !r.policy).map((r) => `${r.method} ${r.path} (${r.name})`);
    expect(missing).toEqual([]);
    expect(ROUTES.length).toBeGreaterThan(5);
  });

  it('answers every protected route without a token with 401, audited in aggregate (docs/spec.md section 4)', async () => {
    const requestIds: string[] = [];
    const protectedRoutes = ROUTES.filter((r) => r.policy?.kind !== 'public');
    for (const route of protectedRoutes) {
      const requestId = randomUUID();
      requestIds.push(requestId);
      const res = await stack.request(route.method, route.path.replace(/:\w+/g, SOME_ID), route.method === 'GET' ? undefined : {}, {
        'x-request-id': requestId,
      });
      expect({ route: route.name, status: res.status }).toEqual({ route: route.name, status: 401 });
    }
    // Not one row per request: one event per client and window, carrying the count.
    expect(await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE request_id = ANY($1)`, [requestIds])).toEqual([{ n: 0 }]);
    const counted = async () =>
      (await stack.sql(`SELECT (after->>'count')::int AS n FROM audit_event WHERE action = 'ACCESS_DENIED_AGGREGATE'`)).reduce(
        (sum, row) => sum + row.n,
        0,
      );
    await stack.eventually('the aggregate denial events', async () => (await counted()) >= protectedRoutes.length);
    expect(await counted()).toBe(protectedRoutes.length);
  });

  it('enforces each route x demo role combination from the route metadata', async () => {
    const outcomes: string[] = [];
    for (const route of ROUTES.filter((r) => r.policy?.kind !== 'public')) {
      for (const user of USERS) {
        const policy = route.policy!;
        const allowed =
          // publicWhen: the test stack keeps the setting off, so the route is for any signed-in user.
          policy.kind === 'authenticated' ||
          policy.kind === 'publicWhen' ||
          (policy.kind === 'roles' && user.roles.some((role) => (policy.roles as string[]).includes(role)));
        const requestId = randomUUID();
        const body = route.method === 'GET' ? undefined : {};
        const res = await stack.as(user.username, route.method, route.path.replace(/:\w+/g, SOME_ID), body, { 'x-request-id': requestId });
        if (allowed) {
          // Authorised: whatever the handler answers (400 for the empty body, 404 for the unknown id), it is not a denial.
          if ([401, 403].includes(res.status))
            outcomes.push(`${user.username} ${route.method} ${route.path}: expected access, got ${res.status}`);
        } else {
          if (res.status !== 403) outcomes.push(`${user.username} ${route.method} ${route.path}: expected 403, got ${res.status}`);
          if ((await deniedEvents(requestId)).length !== 1)
            outcomes.push(`${user.username} ${route.method} ${route.path}: denial not audited`);
        }
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('isolates applicants: another organisation cannot read or list a proposal (404), and the denial is audited', async () => {
    const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: 'Acme confidential package' }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    const requestId = randomUUID();
    const read = await stack.as('applicant.globex', 'GET', `/api/v1/proposals/${id}`, undefined, { 'x-request-id': requestId });
    expect(read.status).toBe(404);
    expect(await stack.sql(`SELECT subject_id FROM audit_event WHERE request_id = $1 AND action = 'ACCESS_DENIED'`, [requestId])).toEqual([
      { subject_id: id },
    ]);
    const globexList = await stack.as('applicant.globex', 'GET', '/api/v1/proposals?pageSize=100');
    expect(globexList.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
    const acmeList = await stack.as('applicant.acme', 'GET', '/api/v1/proposals?pageSize=100');
    expect(acmeList.body.items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).status).toBe(200);
    expect((await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).status).toBe(200);
  });

  it('locks an account after 10 wrong passwords without revealing whether a username exists', async () => {
    const attempt = (username: string, password: string) => stack.request('POST', '/api/v1/auth/login', { username, password });
    const unknown = await attempt('nobody.here', 'wrong-password');
    for (let i = 0; i < 10; i++) {
      const wrong = await attempt('ostp.supervisor', 'wrong-password');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual(unknown.body);
    }
    const lockedOut = await attempt('ostp.supervisor', 'exports-demo');
    expect(lockedOut.status).toBe(401);
    expect(lockedOut.body).toEqual(unknown.body);
    expect(
      await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE actor = 'ostp.supervisor' AND action = 'LOGIN_FAILED'`),
    ).toEqual([{ n: 11 }]);
    await new Promise((r) => setTimeout(r, 3500)); // LOGIN_LOCKOUT=3s in this stack
    expect((await attempt('ostp.supervisor', 'exports-demo')).status).toBe(200);
  });

  it('records logins in the audit trail and verifies an unbroken chain', async () => {
    await stack.token('auditor');
    const events = await stack.as('auditor', 'GET', '/api/v1/audit?action=LOGIN_SUCCEEDED&pageSize=100');
    expect(events.status).toBe(200);
    expect(events.body.items.map((e: { actor: string }) => e.actor)).toContain('auditor');
    const verify = await stack.as('program.manager', 'GET', '/api/v1/audit/verify');
    expect(verify.body).toEqual(expect.objectContaining({ valid: true, events: expect.any(Number) }));
  });

  it('detects tampering with an audit row made by the table owner behind the trigger', async () => {
    const [{ id }] = await stack.sql(`SELECT id::text FROM audit_event ORDER BY id LIMIT 1 OFFSET 2`);
    // Only a sealed event's content is covered by the chain: wait for the worker's sealer to reach it.
    await waitFor(
      'the event to be sealed',
      async () => (await stack.sql(`SELECT 1 FROM audit_chain WHERE event_id = $1`, [id])).length === 1,
    );
    await expect(stack.sql(`UPDATE audit_event SET reason = 'edited' WHERE id = $1`, [id])).rejects.toThrow();
    await expect(stack.sql(`DELETE FROM audit_event WHERE id = $1`, [id])).rejects.toThrow();
    await stack.sql(
      `BEGIN; SET LOCAL session_replication_role = replica; UPDATE audit_event SET reason = 'edited' WHERE id = ${Number(id)}; COMMIT;`,
    );
    const verify = await stack.as('auditor', 'GET', '/api/v1/audit/verify');
    expect(verify.body).toEqual(expect.objectContaining({ valid: false, firstBrokenAt: id }));
  });

  it('lets an admin create, re-role and disable users, audited', async () => {
    const created = await stack.as('admin', 'POST', '/api/v1/admin/users', {
      username: 'state.reviewer2',
      displayName: 'Second State Reviewer',
      password: 'a-long-password-123',
      roles: ['REVIEWER'],
      agency: 'STATE',
      email: 'reviewer2@state.example',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ email: 'reviewer2@state.example', roles: ['REVIEWER'] }));
    expect(created.body.passwordHash).toBeUndefined();
    const misfit = await stack.as('admin', 'PATCH', `/api/v1/admin/users/${created.body.id}`, { roles: ['FINANCING_OFFICER'] });
    expect(misfit.status).toBe(422);
    const disabled = await stack.as('admin', 'PATCH', `/api/v1/admin/users/${created.body.id}`, { disabled: true });
    expect(disabled.body.disabled).toBe(true);
    const login = await stack.request('POST', '/api/v1/auth/login', { username: 'state.reviewer2', password: 'a-long-password-123' });
    expect(login.status).toBe(401);
    const audit = await stack.sql(`SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY id`, [created.body.id]);
    expect(audit.map((a) => a.action)).toEqual(['USER_CREATED', 'USER_UPDATED', 'LOGIN_FAILED']);
  });

  it('creates a username once when the same account is posted several times at once: 201 once, 409 for the rest', async () => {
    const body = {
      username: 'state.reviewer3',
      displayName: 'Third State Reviewer',
      password: 'a-long-password-123',
      roles: ['REVIEWER'],
      agency: 'STATE',
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => stack.as('admin', 'POST', '/api/v1/admin/users', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await stack.sql(
      `SELECT u.id, (SELECT count(*)::int FROM audit_event e WHERE e.subject_id = u.id::text AND e.action = 'USER_CREATED') AS created
         FROM app_user u WHERE u.username = $1`,
      [body.username],
    );
    expect(rows).toEqual([{ id: answers.find((a) => a.status === 201)?.body.id, created: 1 }]);
  });

  it('sends security headers and no stack traces', async () => {
    const res = await stack.request('POST', '/api/v1/auth/login', '{"username": ', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limiting', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_LOGIN_PER_MINUTE: '3' });
  });
  afterAll(() => stack?.stop());

  it('answers 429 with Retry-After once the login limit is reached', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await stack.request('POST', '/api/v1/auth/login', { username: 'auditor', password: 'wrong-password' });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
