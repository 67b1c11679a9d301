import { Stack } from '../support/stack';

/**
 * Rate limits per client address over all routes, reads and anonymous requests included (429 with
 * Retry-After; /health and /metrics exempt), and the aggregate audit of requests without a valid token
 * (docs/spec.md section 4).
 */
const LIMITS = {
  THROTTLE_READS_PER_MINUTE: '10',
  THROTTLE_WRITES_PER_MINUTE: '10',
  THROTTLE_LOGIN_PER_MINUTE: '3',
  DENIAL_AUDIT_WINDOW: '1s',
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface AggregateRow {
  subject_id: string;
  count: number;
}

const aggregates = (stack: Stack, client: string) =>
  stack.sql<AggregateRow>(
    `SELECT subject_id, (after->>'count')::int AS count FROM audit_event WHERE action = 'ACCESS_DENIED_AGGREGATE' AND subject_id = $1 ORDER BY id`,
    [client],
  );

describe('throttling behind a trusted proxy', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ ...LIMITS, TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(() => stack?.stop());

  const from = (client: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': client, ...headers });

  it('records a flood of anonymous requests as a few aggregate events carrying the exact count, across window boundaries', async () => {
    const client = '203.0.113.10';
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const bad: Record<string, string> = i % 3 === 0 ? { authorization: 'Bearer not-a-token' } : {};
      statuses.push((await stack.request('GET', i % 2 ? '/api/v1/tasks' : '/api/v1/proposals', undefined, from(client, bad))).status);
      statuses.push((await stack.request('POST', '/api/v1/proposals', {}, from(client, bad))).status);
      await sleep(250); // the flood spans several 1 s windows
    }
    expect(statuses).toEqual(Array(20).fill(401));
    const rows = await stack.eventually(
      'the aggregate events',
      async () => {
        const found = await aggregates(stack, client);
        return found.reduce((sum, r) => sum + r.count, 0) >= 20 && found;
      },
      10_000,
    );
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(20);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBeLessThanOrEqual(5);
    const [event] = await stack.sql(
      `SELECT actor, reason, after FROM audit_event WHERE action = 'ACCESS_DENIED_AGGREGATE' AND subject_id = $1 ORDER BY id LIMIT 1`,
      [client],
    );
    expect(event.actor).toBe('anonymous');
    expect(event.after).toEqual(
      expect.objectContaining({ count: expect.any(Number), reasons: expect.any(Object), routes: expect.any(Object) }),
    );
    expect(await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'ACCESS_DENIED' AND actor = 'anonymous'`)).toEqual([
      { n: 0 },
    ]);
  });

  it('answers reads past their limit with 429 and Retry-After, anonymous or signed in', async () => {
    const anonymous: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const res = await stack.request('GET', '/api/v1/proposals', undefined, from('203.0.113.20'));
      anonymous.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
    }
    expect(anonymous).toEqual([...Array(10).fill(401), 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);

    const login = await stack.request(
      'POST',
      '/api/v1/auth/login',
      { username: 'auditor', password: 'exports-demo' },
      from('203.0.113.21'),
    );
    expect(login.status).toBe(200);
    const signedIn: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await stack.request(
        'GET',
        '/api/v1/audit',
        undefined,
        from('203.0.113.21', { authorization: `Bearer ${login.body.accessToken}` }),
      );
      signedIn.push(res.status);
    }
    expect(signedIn).toEqual([...Array(10).fill(200), 429, 429]);
  });

  it('never throttles /health or /metrics', async () => {
    for (const path of ['/health', '/metrics']) {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push((await stack.request('GET', path, undefined, from('203.0.113.30'))).status);
      expect({ path, statuses }).toEqual({ path, statuses: Array(25).fill(200) });
    }
  });

  it('applies the login limit to the login handler whatever the path spelling', async () => {
    const statuses: number[] = [];
    for (const path of ['/api/v1/auth/login/', '/api/v1/Auth/Login', '/api/v1/AUTH/LOGIN/', '/api/v1/auth/login/', '/api/v1/Auth/Login']) {
      statuses.push((await stack.request('POST', path, { username: 'auditor', password: 'wrong-password' }, from('203.0.113.40'))).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('takes the client from X-Forwarded-For when the peer is a trusted proxy: each client has its own budget', async () => {
    for (let i = 0; i < 10; i++) await stack.request('GET', '/api/v1/tasks', undefined, from('203.0.113.50'));
    expect((await stack.request('GET', '/api/v1/tasks', undefined, from('203.0.113.50'))).status).toBe(429);
    expect((await stack.request('GET', '/api/v1/tasks', undefined, from('203.0.113.51'))).status).toBe(401);
  });
});

describe('throttling when the peer is not a trusted proxy', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ ...LIMITS, TRUSTED_PROXIES: '10.1.2.3' });
  });
  afterAll(() => stack?.stop());

  it('ignores X-Forwarded-For: rotating it neither escapes the limit nor changes the audited client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await stack.request('GET', '/api/v1/proposals', undefined, { 'x-forwarded-for': `198.51.100.${i + 1}` })).status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const rows = await stack.eventually('the aggregate event', async () => {
      const found = await aggregates(stack, '127.0.0.1');
      return found.reduce((sum, r) => sum + r.count, 0) >= 10 && found;
    });
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(10);
    expect(await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id LIKE '198.51.100.%'`)).toEqual([{ n: 0 }]);
  });
});
