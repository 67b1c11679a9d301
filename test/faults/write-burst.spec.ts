import { randomUUID } from 'node:crypto';
import { assertReconciled } from '../support/fault-checks';
import { report } from '../support/fault-services';
import { Stack } from '../support/stack';

const LIMIT = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fault: a burst of three times the write limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => stack?.stop());

  it('answers 429 with Retry-After, never 500, and recovers within a minute', async () => {
    await stack.token('commerce.reviewer');
    const claim = () => stack.as('commerce.reviewer', 'POST', `/api/v1/tasks/${randomUUID()}/claim`);
    const started = Date.now();
    const burst = await Promise.all(Array.from({ length: 3 * LIMIT }, claim));
    const statuses = burst.map((r) => r.status);
    const limited = burst.filter((r) => r.status === 429);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(limited.length).toBeGreaterThanOrEqual(2 * LIMIT - 1);
    expect(limited.every((r) => Number(r.headers.get('retry-after')) >= 1)).toBe(true);
    // A well-behaved client waits as told, then its write goes through (404: no such task).
    let res = limited[0];
    while (res.status === 429) {
      await sleep(Number(res.headers.get('retry-after')) * 1000);
      res = await claim();
    }
    const recoveredMs = Date.now() - started;
    expect(res.status).toBe(404);
    expect(recoveredMs).toBeLessThanOrEqual(62_000);
    report(
      'write burst',
      `${3 * LIMIT} concurrent writes with THROTTLE_WRITES_PER_MINUTE=${LIMIT} (after one login)`,
      `${limited.length} answered 429 with Retry-After ${limited[0].headers.get('retry-after')} s, the rest ${[...new Set(statuses.filter((s) => s !== 429))].join(',')}; after waiting as told the next write answered ${res.status} at ${Math.round(recoveredMs / 1000)} s`,
    );
    report('write burst: reconcile', 'none', await assertReconciled(stack));
  });
});
