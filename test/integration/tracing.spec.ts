import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

/** A span as OTLP/HTTP JSON carries it (ids in hex), with the service that exported it. */
interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string } }[];
}

interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: Omit<ReceivedSpan, 'service'>[] }[];
  }[];
}

interface LogLine {
  service: string;
  msg?: string;
  trace_id?: string;
  span_id?: string;
  activityType?: string;
  req?: { method?: string; url?: string };
}

const SERVER_KIND = 2;
const CLIENT_KIND = 3;

/** The collector's side of OTLP/HTTP: POST /v1/traces, JSON bodies, every span kept. */
async function startReceiver(): Promise<{ server: Server; url: string; spans: ReceivedSpan[] }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const { resource, scopeSpans } of body.resourceSpans) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

/** docs/runbook.md, "Tracing": one trace from the API request through the workflow to its activities and an agency's webhook, and its id in the logs. */
describe('tracing over OTLP/HTTP', () => {
  let stack: Stack;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  /** DOD's case system: takes its consultation tasks by webhook, keeping each delivery's traceparent. */
  let agency: Server;
  let agencyUrl: string;
  const deliveries: { proposalId: string; traceparent?: string }[] = [];
  beforeAll(async () => {
    receiver = await startReceiver();
    agency = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        deliveries.push({ proposalId: JSON.parse(body).task.proposalId, traceparent: req.headers.traceparent as string | undefined });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => agency.listen(0, '127.0.0.1', resolve));
    agencyUrl = `http://127.0.0.1:${(agency.address() as AddressInfo).port}/cases`;
    stack = await Stack.start({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      LOG_LEVEL: 'debug',
      AGENCY_WEBHOOK_DOD_URL: agencyUrl,
      AGENCY_WEBHOOK_DOD_SECRET: 'tracing-spec-webhook-secret-0123456789',
    });
  });
  afterAll(async () => {
    await stack?.stop();
    receiver?.server.close();
    agency?.close();
  });

  const logLines = () =>
    readFileSync(stack.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  const byId = (id: string | undefined) => receiver.spans.find((s) => s.spanId === id);
  /** Whether `ancestor` is on the span's parent chain (other spans, such as a child workflow's, may sit between). */
  const descendsFrom = (span: ReceivedSpan, ancestor: ReceivedSpan): boolean => {
    for (let parent = byId(span.parentSpanId); parent; parent = byId(parent.parentSpanId)) if (parent === ancestor) return true;
    return false;
  };

  it('links the API request, the workflow start, the workflow run and its activities in one trace, across both processes', async () => {
    const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    expect(res.status).toBe(201);
    // The run's span ends, and is exported, with the run: withdrawn once it waits for review.
    await stack.eventually('the proposal under review', async () => {
      const proposal = await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${res.body.id}`);
      return proposal.body.status === 'UNDER_REVIEW';
    });
    // DOD's consultation goes out by webhook before the withdrawal cancels it.
    const delivery = await stack.eventually('the DOD webhook delivery', async () => deliveries.find((d) => d.proposalId === res.body.id));
    const withdrawal = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${res.body.id}/withdrawal`, { reason: 'Traced' });
    expect(withdrawal.status).toBe(202);
    const request = await stack.eventually('the POST /api/v1/proposals server span', async () =>
      receiver.spans.find(
        (s) => s.kind === SERVER_KIND && s.attributes.some((a) => a.value.stringValue === '/api/v1/proposals') && s.name.includes('POST'),
      ),
    );
    expect(request.service).toBe('exports-desk-api');
    const inTrace = () => receiver.spans.filter((s) => s.traceId === request.traceId);
    const start = inTrace().find((s) => s.name === 'StartWorkflow:proposalWorkflow');
    expect(start).toEqual(expect.objectContaining({ service: 'exports-desk-api', parentSpanId: request.spanId }));
    const run = await stack.eventually('the proposal workflow run span', async () =>
      inTrace().find((s) => s.name === 'RunWorkflow:proposalWorkflow'),
    );
    expect(run.service).toBe('exports-desk-worker');
    expect(descendsFrom(run, start as ReceivedSpan)).toBe(true);
    const activity = await stack.eventually('an activity span of the run', async () =>
      inTrace().find((s) => s.name.startsWith('RunActivity:') && descendsFrom(s, run)),
    );
    expect(activity.service).toBe('exports-desk-worker');
    // The DOD webhook: a client span under the delivering activity, and the trace handed to the agency.
    expect(delivery.traceparent?.split('-')[1]).toBe(request.traceId);
    const webhook = await stack.eventually('the webhook client span', async () =>
      inTrace().find((s) => s.kind === CLIENT_KIND && s.attributes.some((a) => a.value.stringValue === agencyUrl)),
    );
    expect(webhook.service).toBe('exports-desk-worker');
    expect(byId(webhook.parentSpanId)?.name).toMatch(/^RunActivity:/);
    expect(delivery.traceparent?.split('-')[2]).toBe(webhook.spanId);

    const lines = await stack.eventually('the worker lines of the activities that ended', async () => {
      const logged = logLines();
      return logged.some((l) => l.service === 'worker' && l.msg === 'Activity completed' && l.trace_id === request.traceId) && logged;
    });
    const requestLine = lines.find((l) => l.service === 'api' && l.req?.method === 'POST' && l.req.url === '/api/v1/proposals');
    expect(requestLine?.trace_id).toBe(request.traceId);
    // The worker's: each activity's end (the SDK's line, at debug), with the ids of the activity's span.
    const ends = lines.filter((l) => l.msg === 'Activity completed' && l.trace_id === request.traceId);
    await stack.eventually('the spans of the activities that ended', async () => ends.every((l) => byId(l.span_id)));
    for (const line of ends) expect(byId(line.span_id)?.name).toBe(`RunActivity:${line.activityType}`);
  });
});
