import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign, verifySignature } from '../../libs/adapters/webhook-signature';
import { freePort } from '../../scripts/lib/services';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

const SECRET = 'dod-shared-secret-0123456789abcdef0123';
const NEW_SECRET = 'dod-rotated-secret-fedcba9876543210fedc';

/** DOD runs its own case system: tasks reach it by signed webhook and its decisions come back signed. */
describe('agency webhook adapter', () => {
  let stack: Stack;
  let agency: Server;
  const received: { body: string; signature?: string; timestamp?: string }[] = [];

  beforeAll(async () => {
    const port = await freePort();
    agency = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({
          body,
          signature: req.headers['x-exports-desk-signature'] as string,
          timestamp: req.headers['x-exports-desk-timestamp'] as string,
        });
        res.writeHead(202).end();
      });
    }).listen(port, '127.0.0.1');
    stack = await Stack.start({ AGENCY_WEBHOOK_DOD_URL: `http://127.0.0.1:${port}/cases`, AGENCY_WEBHOOK_DOD_SECRET: SECRET });
  });
  afterAll(async () => {
    await stack?.stop();
    agency?.close();
  });

  const callback = (
    body: object,
    options: { secret?: string; timestamp?: number; tamper?: boolean; header?: (signature: string) => string } = {},
  ) => {
    const text = JSON.stringify(body);
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signed = sign(options.secret ?? SECRET, timestamp, text);
    const signature = options.header ? options.header(signed) : signed;
    const sent = options.tamper ? text.replace('Reviewed', 'Rejected') : text;
    return {
      send: () =>
        stack.request('POST', '/api/v1/agency-callbacks/DOD', sent, {
          'x-exports-desk-signature': signature,
          'x-exports-desk-timestamp': String(timestamp),
        }),
    };
  };

  it('delivers the task signed, and completes it from a signed callback; tampered, forged, stale and replayed callbacks are refused', async () => {
    const { body } = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    const delivered = await stack.eventually('the DOD webhook delivery', async () =>
      received.find((r) => JSON.parse(r.body).task.proposalId === body.id),
    );
    expect(verifySignature([SECRET], delivered.body, delivered.signature, delivered.timestamp)).toEqual({
      valid: true,
      signatures: [delivered.signature],
    });
    const { task } = JSON.parse(delivered.body);
    expect(task).toEqual(
      expect.objectContaining({
        agency: 'DOD',
        type: 'CONSULTATION',
        decisions: ['CONCUR', 'CONCUR_WITH_CONDITIONS', 'NON_CONCUR'],
        callbackPath: '/api/v1/agency-callbacks/DOD',
      }),
    );

    const decision = { taskId: task.taskId, decision: 'CONCUR', comment: 'Reviewed by OUSD(P)', decidedBy: 'j.smith' };
    expect((await callback(decision, { tamper: true }).send()).status).toBe(401);
    expect((await callback(decision, { secret: 'not-the-shared-secret-000000000000000' }).send()).status).toBe(401);
    expect((await callback(decision, { timestamp: Math.floor(Date.now() / 1000) - 3600 }).send()).status).toBe(401);
    const accepted = callback(decision);
    const done = await accepted.send();
    expect(done.status).toBe(200);
    expect(done.body).toEqual(expect.objectContaining({ status: 'COMPLETED', decision: 'CONCUR', assignee: 'dod:j.smith' }));
    expect((await accepted.send()).status).toBe(401);
    const refusals = await stack.sql(`SELECT reason FROM audit_event WHERE action = 'ACCESS_DENIED' AND actor = 'dod:webhook' ORDER BY id`);
    expect(refusals.map((r) => r.reason)).toEqual([
      'Signature does not match',
      'Signature does not match',
      expect.stringMatching(/outside/),
      'Replayed callback',
    ]);
  });

  const consultation = async () => {
    const { body } = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    return stack.eventually('the DOD webhook delivery', async () => received.find((r) => JSON.parse(r.body).task.proposalId === body.id));
  };
  const decisionOn = (delivered: { body: string }) => ({
    taskId: JSON.parse(delivered.body).task.taskId,
    decision: 'CONCUR',
    comment: 'Reviewed during the rotation',
    decidedBy: 'j.smith',
  });

  it('during a secret rotation (new secret from a file, the old one as PREVIOUS) signs deliveries under both and accepts callbacks under either, never an unknown one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-rotation-'));
    try {
      writeFileSync(join(dir, 'dod-secret'), `${NEW_SECRET}\n`);
      await stack.restart({
        AGENCY_WEBHOOK_DOD_SECRET: '',
        AGENCY_WEBHOOK_DOD_SECRET_FILE: join(dir, 'dod-secret'),
        AGENCY_WEBHOOK_DOD_SECRET_PREVIOUS: SECRET,
      });
      const first = await consultation();
      expect(first.signature?.split(', ')).toEqual([
        sign(NEW_SECRET, Number(first.timestamp), first.body),
        sign(SECRET, Number(first.timestamp), first.body),
      ]);
      // The agency verifies with whichever secret it holds at the moment.
      for (const secret of [SECRET, NEW_SECRET])
        expect(verifySignature([secret], first.body, first.signature, first.timestamp).valid).toBe(true);

      const refusedBefore = (
        await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'ACCESS_DENIED' AND actor = 'dod:webhook'`)
      )[0].n;
      expect((await callback(decisionOn(first), { secret: 'not-the-shared-secret-000000000000000' }).send()).status).toBe(401);
      const timestamp = Math.floor(Date.now() / 1000);
      const underOld = callback(decisionOn(first), { secret: SECRET, timestamp });
      expect((await underOld.send()).status).toBe(200);
      expect((await underOld.send()).status).toBe(401);
      // The same request re-signed under the other secret, or with an entry added, is still a replay.
      expect((await callback(decisionOn(first), { secret: NEW_SECRET, timestamp }).send()).status).toBe(401);
      expect(
        (await callback(decisionOn(first), { secret: SECRET, timestamp, header: (signed) => `sha256=${'0'.repeat(64)}, ${signed}` }).send())
          .status,
      ).toBe(401);

      const second = await consultation();
      const done = await callback(decisionOn(second), { secret: NEW_SECRET }).send();
      expect(done.status).toBe(200);
      expect(done.body).toEqual(expect.objectContaining({ status: 'COMPLETED', decision: 'CONCUR', assignee: 'dod:j.smith' }));
      const refusals = await stack.sql(
        `SELECT reason FROM audit_event WHERE action = 'ACCESS_DENIED' AND actor = 'dod:webhook' ORDER BY id OFFSET $1`,
        [refusedBefore],
      );
      expect(refusals.map((r) => r.reason)).toEqual([
        'Signature does not match',
        'Replayed callback',
        'Replayed callback',
        'Replayed callback',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps other agencies in the built-in inbox', async () => {
    expect(received.every((r) => JSON.parse(r.body).task.agency === 'DOD')).toBe(true);
    expect(
      (
        await stack.request('POST', '/api/v1/agency-callbacks/STATE', {
          taskId: '00000000-0000-4000-8000-000000000000',
          decision: 'CONCUR',
          decidedBy: 'x',
        })
      ).status,
    ).toBe(404);
  });
});
