import { Logger } from '@nestjs/common';
import { PostgresThrottlerStorage } from '../../../apps/api/src/common/throttler-storage';
import type { ThrottleHit, ThrottleRepository } from '../../../libs/db';

const open = (totalHits: number): ThrottleHit => ({ totalHits, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
const blocked = (totalHits: number, seconds: number): ThrottleHit => ({
  totalHits,
  timeToExpire: 60,
  isBlocked: true,
  timeToBlockExpire: seconds,
});

function counters(answers: ThrottleHit[], evict: () => Promise<number> = () => Promise.resolve(0)) {
  const hit = jest.fn(async () => answers.shift() as ThrottleHit);
  const evictExpired = jest.fn(evict);
  return { hit, evictExpired, repository: { hit, evictExpired } as unknown as ThrottleRepository };
}

/** The shared rate-limit store's process side (the SQL is proven on PostgreSQL in test/integration/replicas.spec.ts). */
describe('PostgresThrottlerStorage', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-02T12:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('asks the database for every hit while the client is under its limit', async () => {
    const db = counters([open(1), open(2)]);
    const storage = new PostgresThrottlerStorage(db.repository, 60_000);
    expect(await storage.increment('reads:203.0.113.1', 60_000, 10, 60_000)).toEqual(open(1));
    expect(await storage.increment('reads:203.0.113.1', 60_000, 10, 60_000)).toEqual(open(2));
    expect(db.hit).toHaveBeenCalledTimes(2);
    expect(db.hit).toHaveBeenLastCalledWith('reads:203.0.113.1', 60_000, 10, 60_000);
  });

  it('answers a blocked client from memory until its block ends, then asks the database again', async () => {
    const db = counters([blocked(11, 30), open(1)]);
    const storage = new PostgresThrottlerStorage(db.repository, 60_000);
    expect((await storage.increment('reads:a', 60_000, 10, 60_000)).isBlocked).toBe(true);
    jest.advanceTimersByTime(10_000);
    expect(await storage.increment('reads:a', 60_000, 10, 60_000)).toEqual({
      totalHits: 11,
      timeToExpire: 20,
      isBlocked: true,
      timeToBlockExpire: 20,
    });
    expect(db.hit).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(20_000);
    expect(await storage.increment('reads:a', 60_000, 10, 60_000)).toEqual(open(1));
    expect(db.hit).toHaveBeenCalledTimes(2);
  });

  it('keeps blocks per key: another client still reaches the database', async () => {
    const db = counters([blocked(11, 30), open(1)]);
    const storage = new PostgresThrottlerStorage(db.repository, 60_000);
    await storage.increment('reads:a', 60_000, 10, 60_000);
    expect(await storage.increment('reads:b', 60_000, 10, 60_000)).toEqual(open(1));
    expect(db.hit).toHaveBeenCalledTimes(2);
  });

  it('deletes expired counters at most once per sweep interval, without holding up the hit or failing it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const db = counters([open(1), open(2), open(3), open(4)], () => Promise.reject(new Error('connection refused')));
    const storage = new PostgresThrottlerStorage(db.repository, 60_000);
    await storage.increment('reads:a', 60_000, 10, 60_000);
    expect(db.evictExpired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(60_000);
    await storage.increment('reads:a', 60_000, 10, 60_000);
    await storage.increment('reads:a', 60_000, 10, 60_000);
    expect(db.evictExpired).toHaveBeenCalledTimes(1);
    await Promise.resolve();
    expect(warn).toHaveBeenCalledWith('Expired rate-limit counters not deleted: connection refused');
    jest.advanceTimersByTime(60_000);
    expect(await storage.increment('reads:a', 60_000, 10, 60_000)).toEqual(open(4));
    expect(db.evictExpired).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
