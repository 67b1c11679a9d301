import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { TaskType } from '../../libs/domain/tasks/task-types';
import { ArmDriver, countStateTransitions, Lifecycle, Lifecycles, StateTransitions } from './load';
import type { BenchInfrastructure } from './system';
import { ExportsDesk } from './system';
import { AGENCY_USERS, APPLICANT, APPLICANT_INFORMATION, benchSubmission, completionFor, sleep, Timings } from './workload';

const run = promisify(execFile);

export const SUBMIT = 'POST /api/v1/proposals';
export const INBOX = 'GET /api/v1/tasks?status=OPEN&pageSize=20';
export const COMPLETE = 'POST /api/v1/tasks/:id/complete';
export const LOGIN = 'POST /api/v1/auth/login';
export const ASK = 'POST /api/v1/proposals/:id/information-requests';
export const ANSWER = 'POST /api/v1/proposals/:id/information-requests/:rid/answer';

/** Limits raised far above the load, SLAs left at days: nothing throttles or escalates during the bench. */
const BENCH_ENV = {
  THROTTLE_WRITES_PER_MINUTE: '1000000',
  THROTTLE_READS_PER_MINUTE: '1000000',
  THROTTLE_LOGIN_PER_MINUTE: '1000',
  REVIEW_SLA: '10d',
  FINANCING_SLA: '15d',
  SBA_SLA: '15d',
  ADVOCACY_SLA: '15d',
  LICENSING_SLA: '15d',
};

interface InboxItem {
  id: string;
  proposalId: string;
  type: TaskType;
  [field: string]: unknown;
}

/**
 * E2E: Exports Desk's API and worker processes, driven through the HTTP API by simulated users with
 * no think time: the applicant files, every agency user (logged in once, `sessions` tabs each)
 * loops over its inbox page and completes what it finds. Lifecycles end when the proposal's
 * workflow closes (watched through the SDK, which adds no API load).
 */
export class E2eArm implements ArmDriver {
  readonly timings = new Timings();
  readonly callErrors: string[] = [];
  private readonly tasksOf = new Map<string, string[]>();
  private stopping = false;
  private readonly loops: Promise<void>[] = [];
  private readonly submission = benchSubmission();
  private readonly lifecycles: Lifecycles;

  private constructor(
    readonly desk: ExportsDesk,
    readonly databaseUrl: string,
    private readonly client: Client,
    private readonly connection: Connection,
    private readonly emptyRetryMs: number,
  ) {
    this.lifecycles = new Lifecycles(client);
  }

  /**
   * `sessions` tabs per user; a tab that found nothing in its inbox looks again after `emptyRetryMs`
   * (a busy loop would only load the API).
   */
  static async start(
    infra: BenchInfrastructure,
    database: string,
    logFile: string,
    sessions: number,
    emptyRetryMs: number,
  ): Promise<E2eArm> {
    const namespace = await infra.namespace('bench-e2e');
    const databaseUrl = await infra.database(database);
    const desk = await ExportsDesk.start({ databaseUrl, temporalAddress: infra.temporalAddress, namespace, logFile, env: BENCH_ENV });
    const connection = await Connection.connect({ address: infra.temporalAddress });
    const arm = new E2eArm(desk, databaseUrl, new Client({ connection, namespace }), connection, emptyRetryMs);
    for (const user of [APPLICANT, ...AGENCY_USERS]) await arm.timings.time(LOGIN, () => desk.token(user));
    for (const user of AGENCY_USERS) for (let tab = 0; tab < sessions; tab++) arm.loops.push(arm.work(user, tab, sessions));
    return arm;
  }

  lifecycle(): Promise<Lifecycle> {
    return this.lifecycles.run(async () => {
      const filed = await this.timings.time(SUBMIT, () =>
        this.desk.call<{ id: string }>(APPLICANT, 'POST', '/api/v1/proposals', this.submission),
      );
      if (filed.status !== 201) throw new Error(`${SUBMIT} answered ${filed.status}: ${JSON.stringify(filed.body).slice(0, 300)}`);
      return filed.body.id;
    });
  }

  stateTransitions(proposalId: string): Promise<StateTransitions> {
    return countStateTransitions(this.client, proposalId, this.tasksOf.get(proposalId) ?? []);
  }

  /** One browser tab of one user: inbox page, then complete each of this tab's share of its tasks; again. */
  private async work(user: string, tab: number, tabs: number): Promise<void> {
    while (!this.stopping) {
      try {
        const page = await this.timings.time(INBOX, () =>
          this.desk.call<{ items: InboxItem[] }>(user, 'GET', '/api/v1/tasks?status=OPEN&pageSize=20'),
        );
        if (page.status !== 200) throw new Error(`${INBOX} as ${user} answered ${page.status}`);
        // Tabs of one user split the page by task id, so that they never race for the same task.
        const mine = page.body.items.filter((item) => parseInt(item.id.slice(-2), 16) % tabs === tab);
        if (!mine.length) await sleep(this.emptyRetryMs);
        for (const item of mine) {
          if (this.stopping) return;
          await this.askApplicant(user, item);
          const done = await this.timings.time(COMPLETE, () =>
            this.desk.call(user, 'POST', `/api/v1/tasks/${item.id}/complete`, completionFor(item.type, item)),
          );
          if (done.status !== 200)
            throw new Error(`${COMPLETE} ${item.type} as ${user} answered ${done.status}: ${JSON.stringify(done.body)}`);
          this.tasksOf.set(item.proposalId, [...(this.tasksOf.get(item.proposalId) ?? []), item.id]);
        }
      } catch (error) {
        this.callErrors.push(String(error));
        await sleep(this.emptyRetryMs);
      }
    }
  }

  /** A task that needs the applicant's information first: the officer asks, the applicant answers at once (no think time). */
  private async askApplicant(user: string, item: InboxItem): Promise<void> {
    const exchange = APPLICANT_INFORMATION[item.type];
    if (!exchange) return;
    const base = `/api/v1/proposals/${item.proposalId}/information-requests`;
    const asked = await this.timings.time(ASK, () => this.desk.call<{ id: string }>(user, 'POST', base, { question: exchange.question }));
    if (asked.status !== 201) throw new Error(`${ASK} as ${user} answered ${asked.status}: ${JSON.stringify(asked.body)}`);
    const answered = await this.timings.time(ANSWER, () =>
      this.desk.call(APPLICANT, 'POST', `${base}/${asked.body.id}/answer`, { answer: exchange.answer }),
    );
    if (answered.status !== 200) throw new Error(`${ANSWER} answered ${answered.status}: ${JSON.stringify(answered.body)}`);
  }

  /** PostgreSQL's transactions committed and rows written in the arm's database so far. */
  async databaseCounters(): Promise<{ xactCommit: number; tupInserted: number; tupUpdated: number }> {
    const [xactCommit, tupInserted, tupUpdated] = (
      await this.psql(`SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = current_database()`)
    )
      .split('|')
      .map(Number);
    return { xactCommit, tupInserted, tupUpdated };
  }

  /** Pids of the PostgreSQL backends serving the arm's database (the API's and worker's pools). */
  async backendPids(): Promise<number[]> {
    const out = await this.psql(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
    return out.split('\n').filter(Boolean).map(Number);
  }

  /** What the arm's non-idle backends are doing now: wait event (or CPU) and the statement's first words. */
  async activity(): Promise<string[]> {
    const out = await this.psql(
      `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 60)
         FROM pg_stat_activity WHERE datname = current_database() AND state NOT IN ('idle') AND pid <> pg_backend_pid()`,
    );
    return out.split('\n').filter(Boolean);
  }

  private async psql(sql: string): Promise<string> {
    const { stdout } = await run('psql', [this.databaseUrl, '-Atc', sql], { timeout: 10_000 });
    return stdout.trim();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.lifecycles.stop();
    await Promise.all(this.loops);
    await this.connection.close();
    await this.desk.stop();
  }

  async dropDatabase(): Promise<void> {
    const url = new URL(this.databaseUrl);
    const name = url.pathname.slice(1);
    url.pathname = '/postgres';
    await run('psql', [url.toString(), '-Atc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], { timeout: 30_000 });
  }
}
