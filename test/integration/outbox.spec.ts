import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { NotifierService, OUTBOX_MAX_ATTEMPTS } from '../../apps/worker/src/notifier.service';
import { loadConfig } from '../../libs/config';
import { Database, ensureDatabase, openDatabase } from '../../libs/db';
import { freePort } from '../../scripts/lib/services';
import { adminUrl, databaseUrlNamed } from '../support/databases';

interface Row {
  id: string;
  sent: boolean;
  dead: boolean;
  attempts: number;
  due_in_s: number;
  last_error: string | null;
}

/** The notification outbox (apps/worker NotifierService on libs/db): leases, per-row backoff, dead letters. */
describe('notification outbox', () => {
  const dbName = `exports_outbox_test_${Date.now()}`;
  const databaseUrl = databaseUrlNamed(dbName);
  let db: Database;
  let oracle: Client;
  let notifier: NotifierService;
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await oracle.query(text, params)).rows as T[];
  const row = async (eventKey: string) =>
    (
      await sql<Row>(
        `SELECT id::text, sent_at IS NOT NULL AS sent, dead_at IS NOT NULL AS dead, attempts,
                extract(epoch FROM next_attempt_at - now())::float AS due_in_s, last_error
           FROM notification WHERE event_key = $1`,
        [eventKey],
      )
    )[0];
  const enqueue = (eventKey: string, recipientUsername: string) =>
    db.unitOfWork.run((tx) =>
      db.notifications.enqueue(tx, {
        eventKey,
        kind: 'DECISION',
        proposalId: randomUUID(),
        recipientUsername,
        subject: eventKey,
        body: 'x',
      }),
    );
  /** Makes a backed-off row due now (instead of waiting out its backoff). */
  const makeDue = (eventKey: string) => sql(`UPDATE notification SET next_attempt_at = now() WHERE event_key = $1`, [eventKey]);

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
    // One user whose mail goes by SMTP (to a closed port: it always fails), one without an address (logged: it always works).
    await sql(
      `INSERT INTO app_user (username, display_name, roles, password_hash, email) VALUES
         ('mailed.user', 'Mailed', '{APPLICANT}', 'x', 'mailed@example.test'), ('logged.user', 'Logged', '{APPLICANT}', 'x', NULL)`,
    );
    const closedPort = await freePort();
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, SMTP_URL: `smtp://127.0.0.1:${closedPort}` });
    notifier = new NotifierService(config, db.notifications);
  });

  afterAll(async () => {
    await oracle?.end();
    await db?.close();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('dead-letters a row that always fails after its attempts, with backoff, without holding up the others', async () => {
    await enqueue('failing', 'mailed.user');
    await enqueue('first', 'logged.user');
    expect(await notifier.dispatch()).toBe(2);
    expect(await row('first')).toMatchObject({ sent: true, attempts: 1 });
    const afterOne = await row('failing');
    expect(afterOne).toMatchObject({ sent: false, dead: false, attempts: 1, last_error: expect.stringMatching(/ECONNREFUSED/) });
    expect(afterOne.due_in_s).toBeGreaterThan(20); // backed off: not claimed again at once
    expect(await notifier.dispatch()).toBe(0);

    await makeDue('failing');
    await notifier.dispatch();
    expect((await row('failing')).due_in_s).toBeGreaterThan(afterOne.due_in_s + 20); // the backoff grows

    for (let attempt = 3; attempt <= OUTBOX_MAX_ATTEMPTS; attempt++) {
      await enqueue(`later-${attempt}`, 'logged.user');
      await makeDue('failing');
      await notifier.dispatch();
      // Rows enqueued behind the failing one are sent in the same round.
      expect(await row(`later-${attempt}`)).toMatchObject({ sent: true, attempts: 1 });
    }
    expect(await row('failing')).toMatchObject({ sent: false, dead: true, attempts: OUTBOX_MAX_ATTEMPTS });

    // Dead rows are never claimed again.
    await makeDue('failing');
    expect(await notifier.dispatch()).toBe(0);
    expect(await row('failing')).toMatchObject({ dead: true, attempts: OUTBOX_MAX_ATTEMPTS });
  });

  it('commits a claim before sending: a claimed row is nobody else’s until its lease lapses', async () => {
    await enqueue('leased', 'logged.user');
    const [claimed] = await db.notifications.claim(10, 60_000);
    expect(claimed).toMatchObject({ eventKey: 'leased', attempts: 1 });
    // Seen committed from another connection, and not claimable by a second notifier.
    expect(await sql(`SELECT 1 FROM notification WHERE event_key = 'leased' AND claimed_until > now()`)).toHaveLength(1);
    expect(await db.notifications.claim(10, 60_000)).toEqual([]);
    // The claimer died: once the lease lapses the row is claimed (and sent) again.
    await sql(`UPDATE notification SET claimed_until = now() - interval '1 second' WHERE event_key = 'leased'`);
    expect(await notifier.dispatch()).toBe(1);
    expect(await row('leased')).toMatchObject({ sent: true, attempts: 2 });
  });
});
