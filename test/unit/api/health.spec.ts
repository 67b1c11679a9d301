import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { HealthController, PROBE_DEADLINE_MS } from '../../../apps/api/src/health/health.controller';
import type { DatabaseHealth } from '../../../libs/db';

/** A Temporal client whose frontend answers with `getSystemInfo`, honouring the connection's deadline as gRPC does. */
function temporalAnswering(getSystemInfo: () => Promise<unknown>): Client {
  const connection = {
    workflowService: { getSystemInfo },
    withDeadline: (_deadline: number, fn: () => Promise<unknown>) => fn(),
  };
  return { connection } as unknown as Client;
}

function response() {
  const res = { statusCode: 200, status: (code: number) => ((res.statusCode = code), res) };
  return res;
}

const database = (ping: () => Promise<void>) => ({ ping }) as unknown as DatabaseHealth;
const up = () => Promise.resolve();

describe('health probes (docs/spec.md section 7)', () => {
  it('answers the public 503 with the status alone, never the error text', async () => {
    const controller = new HealthController(
      database(() => Promise.reject(new Error('password authentication failed for user "exports" at 10.0.3.7:5432'))),
      temporalAnswering(() => Promise.resolve({})),
    );
    const res = response();
    expect(await controller.check(res as unknown as Response)).toEqual({ status: 'error' });
    expect(res.statusCode).toBe(503);
    const detailed = response();
    expect(await controller.details(detailed as unknown as Response)).toEqual({
      status: 'error',
      details: {
        postgres: { status: 'down', message: 'password authentication failed for user "exports" at 10.0.3.7:5432' },
        temporal: { status: 'up' },
      },
    });
    expect(detailed.statusCode).toBe(503);
  });

  it('gives up on a Temporal frontend that never answers after the deadline', async () => {
    const controller = new HealthController(
      database(up),
      temporalAnswering(() => new Promise(() => undefined)),
    );
    const started = Date.now();
    const res = response();
    expect(await controller.check(res as unknown as Response)).toEqual({ status: 'error' });
    const took = Date.now() - started;
    expect(res.statusCode).toBe(503);
    expect(took).toBeGreaterThanOrEqual(PROBE_DEADLINE_MS - 50);
    expect(took).toBeLessThan(PROBE_DEADLINE_MS + 2000);
  }, 10_000);

  it('passes the deadline to the Temporal call itself', async () => {
    let deadline: number | undefined;
    const client = {
      connection: {
        workflowService: { getSystemInfo: () => Promise.resolve({}) },
        withDeadline: (d: number, fn: () => Promise<unknown>) => ((deadline = d), fn()),
      },
    } as unknown as Client;
    const res = response();
    const before = Date.now();
    expect(await new HealthController(database(up), client).check(res as unknown as Response)).toEqual({ status: 'ok' });
    expect(res.statusCode).toBe(200);
    expect(deadline).toBeGreaterThanOrEqual(before + PROBE_DEADLINE_MS);
    expect(deadline).toBeLessThanOrEqual(Date.now() + PROBE_DEADLINE_MS);
  });
});
