import { performance } from 'node:perf_hooks';
import { DataSource, type Logger } from 'typeorm';
import { dataSourceOptions } from './data-source';
import { onServerOf } from './migrate';
import { TaskRepository, type TaskFilter } from './repositories/task.repository';

/*
 * BENCHMARK / TEST SEEDING ONLY (scripts/bench): bulk rows no workflow owns, written straight into the
 * tables, and timings of the statements the repositories run. Never called by the apps.
 */

/** The (type, agency) tasks a proposal's life opens (docs/spec.md section 3), one seeded row each. */
const TASK_SLOTS: readonly (readonly [string, string, string])[] = [
  ['AGENCY_REVIEW', 'COMMERCE', 'CONCUR'],
  ['AGENCY_REVIEW', 'STATE', 'CONCUR'],
  ['AGENCY_REVIEW', 'OSTP', 'CONCUR'],
  ['CONSULTATION', 'DOD', 'CONCUR'],
  ['CONSULTATION', 'DOE', 'CONCUR'],
  ['DESIGNATION_DECISION', 'COMMERCE', 'DESIGNATE'],
  ['FINANCING_ASSIGNMENT', 'STATE', 'ASSIGN'],
  ['FINANCING_REVIEW', 'EXIM', 'COMMIT'],
];
/** The newest share of proposals still in review: their tasks are OPEN or CLAIMED, the rest decided. */
const IN_REVIEW_SHARE = 0.06;

export interface SeededInbox {
  proposals: number;
  tasks: number;
  byStatus: Record<string, number>;
  byAgency: Record<string, number>;
  seconds: number;
}

/** One SQL statement a repository call ran, as PostgreSQL received it. */
export interface CapturedStatement {
  sql: string;
  parameters: unknown[];
}

export interface StatementTiming extends CapturedStatement {
  /** Round trip of each run, client to PostgreSQL and back, in ms. */
  durationsMs: number[];
  /** `EXPLAIN (ANALYZE, BUFFERS)` of one run. */
  plan: string;
}

/** Keeps the statements TypeORM sends while `recording` is on. */
class StatementRecorder implements Logger {
  recording = false;
  readonly statements: CapturedStatement[] = [];
  logQuery(sql: string, parameters?: unknown[]): void {
    if (this.recording) this.statements.push({ sql, parameters: parameters ?? [] });
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Benchmark access to one database: bulk seeding, and the task inbox's statements captured, timed and explained. */
export class BenchFixtures {
  private constructor(
    private readonly db: DataSource,
    private readonly recorder: StatementRecorder,
  ) {}

  /** Connects to an already migrated database (the API migrates it on start). */
  static async open(databaseUrl: string): Promise<BenchFixtures> {
    const recorder = new StatementRecorder();
    const db = await new DataSource({ ...dataSourceOptions(databaseUrl), logging: ['query'], logger: recorder }).initialize();
    return new BenchFixtures(db, recorder);
  }

  /**
   * `taskCount` task rows over ceil(taskCount / 8) proposals, one INSERT … SELECT generate_series each:
   * a proposal an hour back from now, the newest IN_REVIEW_SHARE still in review (tasks OPEN, a third
   * CLAIMED, the overdue ones escalated), the rest decided (COMPLETED, FINANCING_REVIEW sometimes CANCELLED).
   */
  async seedInbox(taskCount: number): Promise<SeededInbox> {
    const started = performance.now();
    const proposals = Math.ceil(taskCount / TASK_SLOTS.length);
    const inReviewFrom = Math.floor(proposals * (1 - IN_REVIEW_SHARE));
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO proposal (id, title, status, submission, organisation, submitted_by, created_at, updated_at)
         SELECT md5('bench-proposal-' || n)::uuid, 'Bench proposal ' || n,
                CASE WHEN n >= $2 THEN 'UNDER_REVIEW' WHEN n % 5 = 0 THEN 'DECLINED' ELSE 'DESIGNATED' END,
                '{}'::jsonb, 'Bench Seed Org ' || (n % 40), 'applicant.acme', now() - ($1 - n) * interval '1 hour', now()
           FROM generate_series(0, $1 - 1) AS n`,
        [proposals, inReviewFrom],
      );
      await m.query(
        `INSERT INTO task (id, proposal_id, type, agency, status, assignee, due_at, reminder_at, escalated, decision,
                           completed_by, completed_at, created_at, updated_at)
         SELECT md5('bench-task-' || n || '-' || s.slot)::uuid, md5('bench-proposal-' || n)::uuid, s.type, s.agency, st.status,
                CASE WHEN st.status IN ('CLAIMED', 'COMPLETED') THEN lower(s.agency) || '.reviewer' END,
                c.at + (10 + s.slot) * interval '1 day', c.at + (8 + s.slot) * interval '1 day',
                st.status IN ('OPEN', 'CLAIMED') AND c.at + (10 + s.slot) * interval '1 day' < now(),
                CASE st.status WHEN 'COMPLETED' THEN s.decision WHEN 'CANCELLED' THEN 'NO_RESPONSE' END,
                CASE WHEN st.status = 'COMPLETED' THEN lower(s.agency) || '.reviewer' END,
                CASE WHEN st.status IN ('COMPLETED', 'CANCELLED') THEN c.at + (3 + s.slot) * interval '1 day' END,
                c.at, now()
           FROM generate_series(0, $1 - 1) AS n
          CROSS JOIN unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS s(type, agency, decision, slot)
          CROSS JOIN LATERAL (SELECT now() - ($1 - n) * interval '1 hour' AS at) c
          CROSS JOIN LATERAL (
            SELECT CASE
                     WHEN n >= $2 THEN CASE WHEN (n + s.slot) % 3 = 0 THEN 'CLAIMED' ELSE 'OPEN' END
                     WHEN s.type = 'FINANCING_REVIEW' AND n % 7 = 0 THEN 'CANCELLED'
                     ELSE 'COMPLETED'
                   END AS status) st
          ORDER BY n, s.slot
          LIMIT $6`,
        [proposals, inReviewFrom, TASK_SLOTS.map((s) => s[0]), TASK_SLOTS.map((s) => s[1]), TASK_SLOTS.map((s) => s[2]), taskCount],
      );
    });
    // Steady state: statistics and the visibility map as autovacuum would leave them.
    await this.db.query('VACUUM ANALYZE proposal, task');
    const counts = (column: 'status' | 'agency') =>
      this.db
        .query<{ key: string; count: number }[]>(`SELECT ${column} AS key, count(*)::int AS count FROM task GROUP BY 1 ORDER BY 1`)
        .then((rows) => Object.fromEntries(rows.map((r) => [r.key, r.count])));
    const [byStatus, byAgency] = await Promise.all([counts('status'), counts('agency')]);
    const tasks = Object.values(byStatus).reduce((a, b) => a + b, 0);
    return { proposals, tasks, byStatus, byAgency, seconds: (performance.now() - started) / 1000 };
  }

  /** The statements TaskRepository.list runs for `filter`, in order. */
  async inboxStatements(filter: TaskFilter): Promise<CapturedStatement[]> {
    this.recorder.statements.length = 0;
    this.recorder.recording = true;
    try {
      await new TaskRepository(this.db).list(filter);
    } finally {
      this.recorder.recording = false;
    }
    return [...this.recorder.statements];
  }

  /** Each statement of TaskRepository.list(filter) run `runs` times (after `warmup` unrecorded runs), and explained. */
  async timeInbox(filter: TaskFilter, runs: number, warmup = 20): Promise<StatementTiming[]> {
    const timings: StatementTiming[] = [];
    for (const statement of await this.inboxStatements(filter)) {
      const durationsMs: number[] = [];
      for (let i = 0; i < warmup + runs; i++) {
        const started = performance.now();
        await this.db.query(statement.sql, statement.parameters as unknown[]);
        if (i >= warmup) durationsMs.push(performance.now() - started);
      }
      const plan = await this.db.query<Record<string, string>[]>(
        `EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`,
        statement.parameters as unknown[],
      );
      timings.push({ ...statement, durationsMs, plan: plan.map((row) => Object.values(row)[0]).join('\n') });
    }
    return timings;
  }

  /** TaskRepository.list(filter) as the API calls it (statements plus entity mapping), `runs` times, in ms. */
  async timeRepositoryList(filter: TaskFilter, runs: number, warmup = 20): Promise<number[]> {
    const tasks = new TaskRepository(this.db);
    const durationsMs: number[] = [];
    for (let i = 0; i < warmup + runs; i++) {
      const started = performance.now();
      await tasks.list(filter);
      if (i >= warmup) durationsMs.push(performance.now() - started);
    }
    return durationsMs;
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** Drops the database named in the URL if it exists (a benchmark's leftover from an earlier run). */
export function dropDatabase(databaseUrl: string): Promise<void> {
  return onServerOf(databaseUrl, async (admin, _name, quoted) => {
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
  });
}
