import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { Database, openDatabase } from '../../libs/db';
import { Stack } from '../support/stack';

/**
 * Two API processes (and two workers) on one database and one Temporal namespace: the rate limits,
 * the login lockout and session revocation are shared state (PostgreSQL), so a client gains nothing
 * by spreading its requests over the replicas.
 */
const CACHE_MS = 1000;
const PASSWORD = 'a-long-password-123';
const SETTINGS = {
  TRUSTED_PROXIES: '127.0.0.1',
  THROTTLE_READS_PER_MINUTE: '10',
  THROTTLE_LOGIN_PER_MINUTE: '4',
  LOGIN_MAX_ATTEMPTS: '3',
  LOGIN_LOCKOUT: '1m',
  ACCOUNT_CHECK_CACHE: `${CACHE_MS}ms`,
};

describe('API replicas share the rate limits, lockouts and revocations', () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    a = await Stack.start(SETTINGS);
    b = await a.replica();
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  const replicas = () => [a, b];
  const from = (client: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': client, ...headers });
  const login = (stack: Stack, client: string, username: string, password: string) =>
    stack.request('POST', '/api/v1/auth/login', { username, password }, from(client));
  let n = 0;
  async function newUser(): Promise<{ id: string; username: string }> {
    const username = `replica.user${++n}`;
    const created = await a.as('admin', 'POST', '/api/v1/admin/users', {
      username,
      displayName: username,
      password: PASSWORD,
      roles: ['REVIEWER'],
      agency: 'STATE',
    });
    expect(created.status).toBe(201);
    return { id: created.body.id, username };
  }

  it('limits reads spread over both replicas at the configured total, with 429 and Retry-After from either', async () => {
    const answers: { replica: string; status: number; retryAfter: string | null }[] = [];
    for (let i = 0; i < 14; i++) {
      const replica = replicas()[i % 2];
      const res = await replica.request('GET', '/api/v1/proposals', undefined, from('203.0.113.60'));
      answers.push({ replica: replica === a ? 'A' : 'B', status: res.status, retryAfter: res.headers.get('retry-after') });
    }
    expect(answers.map((x) => x.status)).toEqual([...Array(10).fill(401), 429, 429, 429, 429]);
    const refused = answers.filter((x) => x.status === 429);
    expect(new Set(refused.map((x) => x.replica))).toEqual(new Set(['A', 'B']));
    for (const { retryAfter } of refused) {
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    }
    // Another client has its own budget on both replicas.
    for (const replica of replicas())
      expect((await replica.request('GET', '/api/v1/proposals', undefined, from('203.0.113.61'))).status).toBe(401);
  });

  it('applies the login limit across replicas', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(replicas()[i % 2], '203.0.113.62', 'nobody.here', 'wrong-password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('holds a lockout earned on replica A on replica B', async () => {
    const user = await newUser();
    for (let i = 0; i < 3; i++) expect((await login(a, `203.0.113.${70 + i}`, user.username, 'wrong-password')).status).toBe(401);
    const refused = await login(b, '203.0.113.74', user.username, PASSWORD);
    expect(refused.status).toBe(401);
    const reasons = await a.sql(`SELECT reason FROM audit_event WHERE action = 'LOGIN_FAILED' AND actor = $1 ORDER BY id`, [user.username]);
    expect(reasons.map((r) => r.reason)).toEqual([
      'Wrong password',
      'Wrong password',
      'Wrong password; account locked after 3 failed attempts',
      expect.stringMatching(/^Account locked until /),
    ]);
  });

  it('refuses on replica B, within ACCOUNT_CHECK_CACHE, a session revoked through replica A', async () => {
    const user = await newUser();
    const signedIn = await login(a, '203.0.113.80', user.username, PASSWORD);
    expect(signedIn.status).toBe(200);
    // Each probe from a client of its own, so that polling never meets the read limit.
    let probes = 0;
    const me = () =>
      b.request(
        'GET',
        '/api/v1/auth/me',
        undefined,
        from(`198.51.100.${++probes}`, { authorization: `Bearer ${signedIn.body.accessToken}` }),
      );
    expect((await me()).status).toBe(200); // B now holds the account in its cache
    expect((await a.as('admin', 'POST', `/api/v1/admin/users/${user.id}/sessions/revoke`)).status).toBe(200);
    const revokedAt = Date.now();
    await b.eventually('the revoked token refused by replica B', async () => (await me()).status === 401, CACHE_MS + 1500);
    expect(Date.now() - revokedAt).toBeLessThan(CACHE_MS + 1500);
    expect((await me()).body.message).toMatch(/revoked/i);
  });

  describe('the shared counter (libs/db ThrottleRepository)', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase(a.databaseUrl);
    });
    afterAll(() => db?.close());

    it('counts concurrent hits atomically: exactly the limit passes', async () => {
      const hits = await Promise.all(Array.from({ length: 40 }, () => db.throttle.hit('test:concurrent', 60_000, 15, 60_000)));
      expect(hits.filter((h) => !h.isBlocked)).toHaveLength(15);
      expect(hits.filter((h) => h.isBlocked).every((h) => h.timeToBlockExpire > 0 && h.timeToBlockExpire <= 60)).toBe(true);
      expect(hits.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual([
        ...Array.from({ length: 15 }, (_, i) => i + 1),
        ...Array(25).fill(16),
      ]);
    });

    it('reports the time a block has left from the clock, even to a hit that waited behind the one that set it', async () => {
      // What CI once caught among 40 concurrent hits, made certain: this hit's statement starts while
      // another transaction holds the row, and that one sets the block a second later on its own clock.
      await db.throttle.hit('test:waited', 60_000, 15, 60_000);
      const holder = new Client({ connectionString: a.databaseUrl });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`SELECT 1 FROM throttle_counter WHERE key = 'test:waited' FOR UPDATE`);
        const waiting = db.throttle.hit('test:waited', 60_000, 15, 60_000);
        await sleep(1200);
        await holder.query(
          `UPDATE throttle_counter SET hits = 16, blocked_until = clock_timestamp() + interval '60 seconds' WHERE key = 'test:waited'`,
        );
        await holder.query('COMMIT');
        expect(await waiting).toEqual(expect.objectContaining({ isBlocked: true, totalHits: 16, timeToBlockExpire: 60 }));
      } finally {
        await holder.end();
      }
    });

    it('opens a new window once the window ends, and once a block ends', async () => {
      expect(await db.throttle.hit('test:window', 400, 2, 1200)).toEqual(
        expect.objectContaining({ totalHits: 1, isBlocked: false, timeToExpire: 1 }),
      );
      expect((await db.throttle.hit('test:window', 400, 2, 1200)).totalHits).toBe(2);
      await sleep(500);
      expect(await db.throttle.hit('test:window', 400, 2, 1200)).toEqual(expect.objectContaining({ totalHits: 1, isBlocked: false }));
      expect((await db.throttle.hit('test:window', 400, 2, 1200)).isBlocked).toBe(false);
      expect(await db.throttle.hit('test:window', 400, 2, 1200)).toEqual(
        expect.objectContaining({ totalHits: 3, isBlocked: true, timeToBlockExpire: 2 }),
      );
      await sleep(500); // the window is over, the block is not
      expect((await db.throttle.hit('test:window', 400, 2, 1200)).isBlocked).toBe(true);
      await sleep(800);
      expect(await db.throttle.hit('test:window', 400, 2, 1200)).toEqual(expect.objectContaining({ totalHits: 1, isBlocked: false }));
    });

    it('deletes only rows whose window and block have both ended', async () => {
      await db.throttle.hit('test:evict-open', 60_000, 5, 60_000);
      await db.throttle.hit('test:evict-ended', 100, 5, 100);
      for (let i = 0; i < 2; i++) await db.throttle.hit('test:evict-blocked', 100, 1, 60_000);
      await sleep(200);
      expect(await db.throttle.evictExpired()).toBeGreaterThanOrEqual(1);
      const keys = (await a.sql<{ key: string }>(`SELECT key FROM throttle_counter WHERE key LIKE 'test:evict-%' ORDER BY key`)).map(
        (r) => r.key,
      );
      expect(keys).toEqual(['test:evict-blocked', 'test:evict-open']);
    });
  });
});
