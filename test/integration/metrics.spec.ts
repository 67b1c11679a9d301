import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

/** A sample's value from Prometheus text: `name{labels} value`, labels exactly as exposed. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const METRICS_TOKEN = 'metrics-scrape-token-0123456789';

/** docs/spec.md section 7, Operations: GET /metrics for Prometheus, and the worker's Temporal SDK series. */
describe('GET /metrics', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it('exposes request durations by route pattern, open tasks, SLA breaches and the audit sealer lag', async () => {
    const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await stack.eventually('the five review tasks', async () => {
      const tasks = await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=50`);
      return tasks.body.items.length === 5;
    });
    expect((await stack.as('auditor', 'GET', `/api/v1/proposals/${id}`)).status).toBe(200);

    const scrape = await stack.request('GET', '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = scrape.body as string;

    // The route label is the pattern: the proposal's id never appears in it.
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/api\/v1\/proposals",status_code="201"\} 1$/m,
    );
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/proposals\/:id",status_code="200"\} 1$/m);
    expect(text).not.toContain(id);
    expect(sample(text, 'exports_desk_tasks_open{agency="COMMERCE",type="AGENCY_REVIEW"}')).toBe(1);
    expect(sample(text, 'exports_desk_tasks_open{agency="DOD",type="CONSULTATION"}')).toBe(1);
    expect(sample(text, 'exports_desk_sla_breaches{agency="COMMERCE"}')).toBe(0);
    expect(sample(text, 'exports_desk_audit_sealer_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'exports_desk_audit_events_unsealed')).toBeGreaterThanOrEqual(0);
  });

  it('counts an overdue open task as an SLA breach of its agency', async () => {
    await stack.sql(`UPDATE task SET due_at = now() - interval '1 hour' WHERE agency = 'STATE' AND type = 'AGENCY_REVIEW'`);
    const text = (await stack.request('GET', '/metrics')).body as string;
    expect(sample(text, 'exports_desk_sla_breaches{agency="STATE"}')).toBe(1);
    expect(sample(text, 'exports_desk_sla_breaches{agency="OSTP"}')).toBe(0);
  });

  it('reports an audit event the sealer has not reached as the backlog, with its age as the lag', async () => {
    // Stamped two hours ago, as a long transaction leaves it: routine sealing passes look back one
    // hour, so it waits for the next full sweep (every 10 minutes) and the scrape sees it unsealed.
    await stack.sql(
      `INSERT INTO audit_event (at, actor, action, subject_type) VALUES (now() - interval '2 hours', 'commerce.reviewer', 'LATE_COMMIT', 'task')`,
    );
    const text = (await stack.request('GET', '/metrics')).body as string;
    expect(sample(text, 'exports_desk_audit_events_unsealed')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'exports_desk_audit_sealer_lag_seconds')).toBeGreaterThanOrEqual(7200);
    expect(sample(text, 'exports_desk_audit_sealer_lag_seconds')).toBeLessThan(7200 + 120);
    const verdict = (await stack.as('auditor', 'GET', '/api/v1/audit/verify')).body;
    expect(verdict.pending).toBeGreaterThanOrEqual(1);
    expect(verdict.lagSeconds).toBeGreaterThanOrEqual(7200);
  });

  it("serves the Temporal SDK's worker metrics at the worker's WORKER_METRICS_ADDRESS", async () => {
    const text = await stack.eventually('the worker exporter', async () => {
      const res = await fetch(stack.workerMetricsUrl).catch(() => undefined);
      return res?.ok && (await res.text());
    });
    expect(text).toMatch(/^temporal_worker_task_slots_available\{/m);
    expect(text).toMatch(/^temporal_request\{/m);
  });

  it('with METRICS_TOKEN set, refuses a scrape without the bearer token (401) and answers one with it', async () => {
    await stack.restart({ METRICS_TOKEN });
    expect((await stack.request('GET', '/metrics')).status).toBe(401);
    expect((await stack.request('GET', '/metrics', undefined, { authorization: 'Bearer not-the-metrics-token' })).status).toBe(401);
    // A user's session is no scrape credential.
    expect((await stack.as('admin', 'GET', '/metrics')).status).toBe(401);
    const scrape = await stack.request('GET', '/metrics', undefined, { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(scrape.status).toBe(200);
    expect(scrape.body).toContain('exports_desk_tasks_open{');
  });
});
