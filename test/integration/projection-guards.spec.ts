import { ApplicationFailure } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IntakeActivities } from '../../activities/intake/intake.activities';
import { ProgramActivities } from '../../activities/program/program.activities';
import { ScreeningActivities } from '../../activities/screening/screening.activities';
import { ScreeningLists } from '../../activities/screening/screening-lists';
import { TaskActivities } from '../../activities/tasks/task.activities';
import { AgencyAdapters } from '../../libs/adapters';
import { AuditService } from '../../libs/audit';
import { loadConfig } from '../../libs/config';
import { Database, ensureDatabase, openDatabase } from '../../libs/db';
import { adminUrl, databaseUrlNamed } from '../support/databases';

/** What an activity failed with: its type and whether Temporal may retry it. */
async function failureOf(work: Promise<unknown>): Promise<{ type: string | undefined | null; nonRetryable: boolean; message: string }> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApplicationFailure);
  const failure = error as ApplicationFailure;
  return { type: failure.type, nonRetryable: !!failure.nonRetryable, message: failure.message };
}

/** Guards of the activities' projections on a real database: monotonic status, version checks, permanent errors. */
describe('projection guards on PostgreSQL', () => {
  const dbName = `exports_guards_test_${Date.now()}`;
  const databaseUrl = databaseUrlNamed(dbName);
  let db: Database;
  let oracle: Client;
  let intake: ReturnType<IntakeActivities['build']>;
  let screening: ReturnType<ScreeningActivities['build']>;
  let tasks: ReturnType<TaskActivities['build']>;
  let program: ReturnType<ProgramActivities['build']>;
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await oracle.query(text, params)).rows as T[];

  const newProposal = async () => {
    const id = randomUUID();
    await db.unitOfWork.run((tx) =>
      db.proposals.insert(
        tx,
        {
          id,
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
    return id;
  };
  const move = (proposalId: string, from: string, status: string, step: number) =>
    intake.recordStatus({
      proposalId,
      from: from as never,
      status: status as never,
      eventKey: `wf:run-1:${step}`,
      at: new Date().toISOString(),
      reason: `step ${step}`,
      actor: 'system',
    });
  const statusOf = async (id: string) => (await sql<{ status: string }>('SELECT status FROM proposal WHERE id = $1', [id]))[0].status;
  const count = async (table: 'proposal_event' | 'audit_event', id: string, action: string) =>
    (
      await sql<{ n: number }>(
        table === 'proposal_event'
          ? 'SELECT count(*)::int AS n FROM proposal_event WHERE proposal_id = $1 AND action = $2'
          : 'SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action = $2',
        [id, action],
      )
    )[0].n;

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    const audit = new AuditService(db.audit);
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl });
    intake = new IntakeActivities(db.unitOfWork, db.proposals, audit, db.notifications).build();
    screening = new ScreeningActivities(config, db.unitOfWork, db.proposals, new ScreeningLists(config, db.screeningLists), audit).build();
    tasks = new TaskActivities(config, db.unitOfWork, db.tasks, db.proposals, audit, new AgencyAdapters(config), db.notifications).build();
    program = new ProgramActivities(db.unitOfWork, db.programs, db.notifications, audit).build();
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
  });

  afterAll(async () => {
    await oracle?.end();
    await db?.close();
    const admin = new Client({ connectionString: adminUrl() });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it('never moves a proposal backwards: a late or retried status step changes nothing', async () => {
    const id = await newProposal();
    await move(id, 'SUBMITTED', 'SCREENING', 1);
    await move(id, 'SCREENING', 'RETURNED_FOR_INFORMATION', 2);
    // Step 4 (withdrawal) is projected before step 3, whose activity ran late.
    await move(id, 'SCREENING', 'WITHDRAWN', 4);
    await move(id, 'RETURNED_FOR_INFORMATION', 'SCREENING', 3);
    await move(id, 'SUBMITTED', 'SCREENING', 1); // a retry of the first step
    expect(await statusOf(id)).toBe('WITHDRAWN');
    expect([await count('proposal_event', id, 'STATUS_SCREENING'), await count('audit_event', id, 'PROPOSAL_STATUS_CHANGED')]).toEqual([
      1, 3,
    ]);
  });

  it('refuses, retryably, to screen a stored version older than the one asked for', async () => {
    const id = await newProposal();
    const failure = await failureOf(screening.screenProposal({ proposalId: id, version: 2 }));
    expect(failure).toMatchObject({ type: 'StaleProposalVersion', nonRetryable: false });
    expect(await count('proposal_event', id, 'SCREENED')).toBe(0);
  });

  it('fails non-retryably when the proposal, task or program does not exist', async () => {
    const missing = randomUUID();
    const failures = [
      await failureOf(screening.screenProposal({ proposalId: missing, version: 1 })),
      await failureOf(move(missing, 'SUBMITTED', 'SCREENING', 1)),
      await failureOf(
        intake.storeAmendment({ proposalId: missing, version: 2, sections: {}, actor: { username: 'a', roles: [], agency: null } }),
      ),
      await failureOf(tasks.recordSlaEvent({ taskId: missing, proposalId: missing, event: 'REMINDER' })),
      await failureOf(program.loadPlan(missing)),
    ];
    for (const failure of failures)
      expect(failure).toMatchObject({ type: 'NotFound', nonRetryable: true, message: expect.stringContaining(missing) });
  });

  it('records a task cancelled before its row was written, and opens that row closed', async () => {
    const proposalId = await newProposal();
    const taskId = randomUUID();
    // The proposal moved on (withdrawn) while openTask still ran: the cancellation comes first.
    await tasks.recordSlaEvent({ taskId, proposalId, event: 'CANCELLED' });
    await tasks.openTask({ taskId, proposalId, type: 'AGENCY_REVIEW', agency: 'STATE', form: {}, context: {} });
    expect(await sql('SELECT status FROM task WHERE id = $1', [taskId])).toEqual([{ status: 'CANCELLED' }]);
    expect(await sql(`SELECT count(*)::int AS n FROM proposal_event WHERE event_key = $1`, [`task:${taskId}:CANCELLED`])).toEqual([
      { n: 1 },
    ]);
  });

  it('keeps a database that is down retryable', async () => {
    const down = await openDatabase(databaseUrl);
    const audit = new AuditService(down.audit);
    const activities = new IntakeActivities(down.unitOfWork, down.proposals, audit, down.notifications).build();
    await down.close();
    const error = await activities
      .recordStatus({
        proposalId: randomUUID(),
        from: 'SUBMITTED',
        status: 'SCREENING',
        eventKey: 'wf:r:1',
        at: new Date().toISOString(),
        reason: 'x',
        actor: 'system',
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
  });
});
