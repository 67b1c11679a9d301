import { sync as ical } from 'node-ical';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Stack } from '../support/stack';

/** Per-user secret calendar feed URLs: calendar clients send no bearer token, so the URL is the credential. */
describe('calendar feed URLs', () => {
  let stack: Stack;
  beforeAll(async () => {
    // LOG_LEVEL info: request lines are logged, so the test sees that none carries a feed's secret.
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', DENIAL_AUDIT_WINDOW: '1s', LOG_LEVEL: 'info' });
  });
  afterAll(() => stack?.stop());

  const FEED = '/api/v1/programs/calendar-feed';
  const summaries = (body: string) =>
    Object.values(ical.parseICS(body))
      .filter((e) => e?.type === 'VEVENT')
      .map((e) => (e as { summary: string }).summary);
  const createFeed = async (user: string): Promise<{ url: string; createdAt: string }> => {
    const res = await stack.as(user, 'POST', FEED);
    expect(res.status).toBe(201);
    return res.body;
  };

  it('gives a URL that serves every plan’s milestones to a client without a token, and says only whether one is active', async () => {
    const plan = await stack.as('program.manager', 'POST', '/api/v1/programs', {
      name: 'Feed plan',
      startDate: '2025-08-01',
      milestones: [{ key: 'kickoff', title: 'Feed kickoff', ownerAgency: 'STATE', dueDay: 10 }],
    });
    expect(plan.status).toBe(201);
    expect((await stack.as('program.manager', 'GET', FEED)).body).toEqual({ active: false });

    const { url, createdAt } = await createFeed('program.manager');
    expect(url).toMatch(/^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const res = await stack.request('GET', url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // Every plan the owner may read: the order's own and the new one.
    const plans = (await stack.as('program.manager', 'GET', '/api/v1/programs')).body as {
      milestones: { title: string; ownerAgency: string }[];
    }[];
    expect(plans.length).toBe(2);
    const expected = plans.flatMap((p) => p.milestones.map((m) => `${m.title} (${m.ownerAgency})`));
    expect(summaries(res.body as string).sort()).toEqual(expected.sort());
    expect(expected).toContain('Feed kickoff (STATE)');

    const status = await stack.as('program.manager', 'GET', FEED);
    expect(status.body).toEqual({ active: true, createdAt });
    // Only the secret's hash is stored, and the URL appears in no answer but the first nor in the logs.
    const secret = url.slice('/api/v1/calendar/'.length, -'.ics'.length);
    expect(await stack.sql(`SELECT secret_hash FROM calendar_feed WHERE revoked_at IS NULL`)).toEqual([
      { secret_hash: createHash('sha256').update(secret).digest('hex') },
    ]);
    expect(JSON.stringify(status.body)).not.toContain(secret);
    const log = readFileSync(stack.logFile, 'utf8');
    expect(log).toContain('/api/v1/calendar/[Redacted].ics');
    expect(log).not.toContain(secret);
    // Request lines carry no headers, so no bearer token or cookie reaches the logs.
    expect(log).toMatch(/"msg":"GET \/api\/v1\/calendar\/\[Redacted\]\.ics 200 \d+ ms"/);
    expect(log).not.toMatch(/"headers"|[Bb]earer eyJ/);
  });

  it('rotates: a new URL works and the previous one answers 404', async () => {
    const first = await createFeed('auditor');
    expect((await stack.request('GET', first.url)).status).toBe(200);
    const second = await createFeed('auditor');
    expect(second.url).not.toBe(first.url);
    expect((await stack.request('GET', first.url)).status).toBe(404);
    expect((await stack.request('GET', second.url)).status).toBe(200);
    expect(
      await stack.sql(
        `SELECT count(*)::int AS n FROM calendar_feed f JOIN app_user u ON u.id = f.user_id WHERE u.username = 'auditor' AND f.revoked_at IS NULL`,
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('revokes: the URL answers 404 like an unknown one, and the status says inactive', async () => {
    const { url } = await createFeed('state.reviewer');
    const revoked = await stack.as('state.reviewer', 'DELETE', FEED);
    expect(revoked.status).toBe(204);
    const gone = await stack.request('GET', url);
    const unknown = await stack.request('GET', `/api/v1/calendar/${'A'.repeat(43)}.ics`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual(unknown.body);
    expect((await stack.request('GET', '/api/v1/calendar/not-a-secret.ics')).body).toEqual(unknown.body);
    expect((await stack.as('state.reviewer', 'GET', FEED)).body).toEqual({ active: false });
    // Nothing active: nothing to do.
    expect((await stack.as('state.reviewer', 'DELETE', FEED)).status).toBe(204);
    // Refused fetches are counted in the anonymous denial audit, by route pattern, never by secret.
    await stack.eventually('the aggregate denial of the feed route', async () => {
      const rows = await stack.sql(
        `SELECT 1 FROM audit_event WHERE action = 'ACCESS_DENIED_AGGREGATE' AND after->'routes' ? 'GET /api/v1/calendar/:secret.ics'`,
      );
      return rows.length > 0;
    });
  });

  it("answers 404 while the owner's account is disabled or may no longer read plans", async () => {
    const { url } = await createFeed('ostp.reviewer');
    const users = await stack.as('admin', 'GET', '/api/v1/admin/users');
    const owner = users.body.find((u: { username: string }) => u.username === 'ostp.reviewer');
    const change = async (changes: object) =>
      expect((await stack.as('admin', 'PATCH', `/api/v1/admin/users/${owner.id}`, changes)).status).toBe(200);
    await change({ disabled: true });
    expect((await stack.request('GET', url)).status).toBe(404);
    await change({ disabled: false });
    expect((await stack.request('GET', url)).status).toBe(200);
    await change({ roles: ['ADMIN'], agency: null });
    expect((await stack.request('GET', url)).status).toBe(404);
    await change({ roles: ['REVIEWER'], agency: 'OSTP' });
    expect((await stack.request('GET', url)).status).toBe(200);
  });

  it('refuses the management routes to anonymous callers (401) and to applicants (403)', async () => {
    expect((await stack.request('POST', FEED)).status).toBe(401);
    expect((await stack.request('GET', FEED)).status).toBe(401);
    expect((await stack.request('DELETE', FEED)).status).toBe(401);
    expect((await stack.as('applicant.acme', 'POST', FEED)).status).toBe(403);
    expect((await stack.as('applicant.acme', 'GET', FEED)).status).toBe(403);
    expect((await stack.as('admin', 'POST', FEED)).status).toBe(403);
  });

  it('audits every creation and revocation, a rotation as both', async () => {
    const rows = await stack.sql(
      `SELECT actor, action, reason FROM audit_event WHERE subject_type = 'calendar_feed' AND actor IN ('auditor', 'state.reviewer') ORDER BY id`,
    );
    expect(rows).toEqual([
      { actor: 'auditor', action: 'CALENDAR_FEED_CREATED', reason: null },
      { actor: 'auditor', action: 'CALENDAR_FEED_REVOKED', reason: 'replaced by a new feed URL' },
      { actor: 'auditor', action: 'CALENDAR_FEED_CREATED', reason: null },
      { actor: 'state.reviewer', action: 'CALENDAR_FEED_CREATED', reason: null },
      { actor: 'state.reviewer', action: 'CALENDAR_FEED_REVOKED', reason: null },
    ]);
  });

  it('lists the new routes in the access rules, the feed itself not (it is public)', async () => {
    const rules = await stack.as('program.manager', 'GET', '/api/v1/reference/rules');
    expect(rules.body.access['POST /programs/calendar-feed']).toEqual({
      kind: 'roles',
      roles: expect.arrayContaining(['PROGRAM_MANAGER', 'AUDITOR']),
    });
    expect(rules.body.access['DELETE /programs/calendar-feed']).toEqual(rules.body.access['POST /programs/calendar-feed']);
    expect(rules.body.access['GET /calendar/:secret.ics']).toBeUndefined();
  });
});
