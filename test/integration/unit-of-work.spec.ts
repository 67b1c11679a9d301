import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { TaskActivities } from '../../activities/tasks/task.activities';
import { AgencyAdapters } from '../../libs/adapters';
import { AuditService } from '../../libs/audit';
import { loadConfig } from '../../libs/config';
import type { TaskActor } from '../../libs/contracts/tasks';
import { Database, ensureDatabase, openDatabase } from '../../libs/db';
import { adminUrl, databaseUrlNamed } from '../support/databases';

const reviewer: TaskActor = { username: 'commerce.reviewer', roles: ['REVIEWER'], agency: 'COMMERCE' };

/** libs/db's unit of work and the task projections on it (library only, no HTTP, no Temporal). */
describe('unit of work and task projections on PostgreSQL', () => {
  const dbName = `exports_uow_test_${Date.now()}`;
  const databaseUrl = databaseUrlNamed(dbName);
  let db: Database;
  let audit: AuditService;
  let activities: TaskActivities;
  let oracle: Client;
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await oracle.query(text, params)).rows as T[];

  const proposalId = randomUUID();
  const taskId = randomUUID();

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    audit = new AuditService(db.audit);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl });
    activities = new TaskActivities(config, db.unitOfWork, db.tasks, db.proposals, audit, new AgencyAdapters(config), db.notifications);
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
    await db.unitOfWork.run((tx) =>
      db.proposals.insert(
        tx,
        {
          id: proposalId,
          callId: null,
          title: 'Full-stack AI package',
          organisation: 'Acme',
          submittedBy: 'applicant.acme',
          submission: {},
          idempotencyKey: null,
          requestDigest: null,
        },
        { key: 'received', at: new Date(), action: 'SUBMITTED', actor: 'applicant.acme' },
      ),
    );
    await activities.openTask({ taskId, proposalId, type: 'AGENCY_REVIEW', agency: 'COMMERCE', form: {}, context: {} });
  });

  afterAll(async () => {
    await oracle?.end();
    await db?.close();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  const auditCount = async (action: string) =>
    (await sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_event WHERE action = $1 AND subject_id = $2', [action, taskId]))[0].n;
  const eventCount = async (action: string) =>
    (
      await sql<{ n: number }>('SELECT count(*)::int AS n FROM proposal_event WHERE action = $1 AND proposal_id = $2', [action, proposalId])
    )[0].n;
  const task = async () =>
    (await sql<{ status: string; assignee: string | null }>('SELECT status, assignee FROM task WHERE id = $1', [taskId]))[0];

  it('commits every write of a unit together, or none of them', async () => {
    await expect(
      db.unitOfWork.run(async (tx) => {
        await db.proposals.recordEvent(tx, proposalId, { key: 'uow:rolled-back', at: new Date(), action: 'NOTE', actor: 'system' });
        await audit.record({ actor: 'system', action: 'NOTE', subjectType: 'proposal', subjectId: proposalId }, tx);
        throw new Error('caller fails');
      }),
    ).rejects.toThrow('caller fails');
    expect(await sql(`SELECT id FROM proposal_event WHERE event_key = 'uow:rolled-back'`)).toEqual([]);
    expect(await sql(`SELECT id FROM audit_event WHERE action = 'NOTE'`)).toEqual([]);
  });

  it('projects a claim once per event key, and a release with a new key', async () => {
    const claim = { taskId, proposalId, assignee: reviewer.username, actor: reviewer, eventKey: randomUUID() };
    await activities.recordAssignment(claim);
    await activities.recordAssignment(claim); // a retry of the same claim
    expect(await task()).toEqual({ status: 'CLAIMED', assignee: reviewer.username });
    expect([await eventCount('TASK_CLAIMED'), await auditCount('TASK_CLAIMED')]).toEqual([1, 1]);

    await activities.recordAssignment({ ...claim, assignee: null, eventKey: randomUUID() });
    expect(await task()).toEqual({ status: 'OPEN', assignee: null });
    expect([await eventCount('TASK_RELEASED'), await auditCount('TASK_RELEASED')]).toEqual([1, 1]);
  });

  it('never moves a completed task back to CLAIMED or OPEN', async () => {
    await activities.recordAssignment({ taskId, proposalId, assignee: reviewer.username, actor: reviewer, eventKey: randomUUID() });
    await activities.recordCompletion({
      proposalId,
      actor: reviewer,
      outcome: {
        taskId,
        type: 'AGENCY_REVIEW',
        agency: 'COMMERCE',
        decision: 'CONCUR',
        comment: null,
        conditions: [],
        data: {},
        decidedBy: reviewer.username,
        decidedAt: new Date().toISOString(),
      },
    });
    expect(await task()).toEqual({ status: 'COMPLETED', assignee: reviewer.username });
    const before = [
      await eventCount('TASK_CLAIMED'),
      await auditCount('TASK_CLAIMED'),
      await eventCount('TASK_RELEASED'),
      await auditCount('TASK_RELEASED'),
    ];

    // A late claim and a late release: nothing changes, nothing is recorded.
    await activities.recordAssignment({ taskId, proposalId, assignee: 'someone.else', actor: reviewer, eventKey: randomUUID() });
    await activities.recordAssignment({ taskId, proposalId, assignee: null, actor: reviewer, eventKey: randomUUID() });
    expect(await task()).toEqual({ status: 'COMPLETED', assignee: reviewer.username });
    expect([
      await eventCount('TASK_CLAIMED'),
      await auditCount('TASK_CLAIMED'),
      await eventCount('TASK_RELEASED'),
      await auditCount('TASK_RELEASED'),
    ]).toEqual(before);
    expect(await audit.verify()).toMatchObject({ valid: true });
  });
});
