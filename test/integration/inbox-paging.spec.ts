import { Client } from 'pg';
import { BenchFixtures, Database, dropDatabase, ensureDatabase, openDatabase, type TaskFilter } from '../../libs/db';
import { databaseUrlNamed } from '../support/databases';

const TASKS = 20_000;

/** The inbox page (TaskRepository.list) on a seeded inbox, against raw SQL as the oracle (issue 12). */
describe('task inbox paging on a large inbox', () => {
  const databaseUrl = databaseUrlNamed(`exports_inbox_paging_${Date.now()}`);
  let db: Database;
  let fixtures: BenchFixtures;
  let oracle: Client;

  beforeAll(async () => {
    await ensureDatabase(databaseUrl);
    db = await openDatabase(databaseUrl);
    await db.migrate();
    fixtures = await BenchFixtures.open(databaseUrl);
    oracle = new Client({ connectionString: databaseUrl });
    await oracle.connect();
  });
  afterAll(async () => {
    await oracle?.end();
    await fixtures?.close();
    await db?.close();
    await dropDatabase(databaseUrl);
  });

  it('seeds the asked number of tasks over proposals, mostly decided', async () => {
    const seeded = await fixtures.seedInbox(TASKS);
    const rows = await oracle.query<{ tasks: number; proposals: number; open: number }>(
      `SELECT count(*)::int AS tasks, count(DISTINCT proposal_id)::int AS proposals,
              count(*) FILTER (WHERE status IN ('OPEN', 'CLAIMED'))::int AS open FROM task`,
    );
    expect(rows.rows[0]).toEqual({ tasks: TASKS, proposals: seeded.proposals, open: seeded.byStatus.OPEN + seeded.byStatus.CLAIMED });
    expect(seeded.tasks).toBe(TASKS);
    expect(seeded.byStatus.COMPLETED).toBeGreaterThan(TASKS * 0.8);
    expect(Object.keys(seeded.byAgency).sort()).toEqual(['COMMERCE', 'DOD', 'DOE', 'EXIM', 'OSTP', 'STATE']);
  });

  /** The oracle: the same visibility and filters in plain SQL, ordered escalated first, due date, id. */
  const oracleIds = async (where: string, params: unknown[], limit: number, offset: number) =>
    (
      await oracle.query<{ id: string }>(
        `SELECT id FROM task WHERE ${where} ORDER BY escalated DESC, due_at ASC, id ASC LIMIT ${limit} OFFSET ${offset}`,
        params,
      )
    ).rows.map((r) => r.id);
  const oracleTotal = async (where: string, params: unknown[]) =>
    (await oracle.query<{ n: number }>(`SELECT count(*)::int AS n FROM task WHERE ${where}`, params)).rows[0].n;

  const cases: { name: string; filter: Omit<TaskFilter, 'page' | 'pageSize'>; where: string; params: unknown[] }[] = [
    {
      name: 'an agency reviewer',
      filter: { visibility: { agency: 'STATE', types: ['AGENCY_REVIEW'] } },
      where: `agency = $1 AND type = $2`,
      params: ['STATE', 'AGENCY_REVIEW'],
    },
    {
      name: 'an agency reviewer, open tasks',
      filter: { visibility: { agency: 'COMMERCE', types: ['AGENCY_REVIEW'] }, status: 'OPEN' },
      where: `agency = $1 AND type = $2 AND status = $3`,
      params: ['COMMERCE', 'AGENCY_REVIEW', 'OPEN'],
    },
    {
      name: 'a supervisor, one type',
      filter: { visibility: { agency: 'COMMERCE', types: 'all' }, type: 'DESIGNATION_DECISION' },
      where: `agency = $1 AND type = $2`,
      params: ['COMMERCE', 'DESIGNATION_DECISION'],
    },
    { name: 'oversight', filter: { visibility: 'all' }, where: 'true', params: [] },
  ];

  /** Page 1, 2 and the last of the repository's answer equal the oracle's, and so does the total. */
  const expectOraclePages = async ({ filter, where, params }: (typeof cases)[number]) => {
    const pageSize = 30;
    const total = await oracleTotal(where, params);
    expect(total).toBeGreaterThan(pageSize); // more than one page, or paging proves nothing
    for (const page of [1, 2, Math.ceil(total / pageSize)]) {
      const answer = await db.tasks.list({ ...filter, page, pageSize });
      expect(answer.total).toBe(total);
      expect(answer.items.map((t) => t.id)).toEqual(await oracleIds(where, params, pageSize, (page - 1) * pageSize));
    }
  };

  it.each(cases)('pages for $name are the oracle’s pages, with its total', expectOraclePages);

  it('walks every page of an inbox with ties on the due date without repeating or skipping a task', async () => {
    const filter: TaskFilter = { visibility: { agency: 'STATE', types: 'all' }, page: 1, pageSize: 100 };
    const ties = await oracle.query(`SELECT due_at FROM task WHERE agency = 'STATE' GROUP BY due_at HAVING count(*) > 1 LIMIT 1`);
    expect(ties.rowCount).toBe(1); // the seeded inbox has ties: the order must break them
    const seen: string[] = [];
    const { total } = await db.tasks.list(filter);
    for (let page = 1; (page - 1) * filter.pageSize < total; page++)
      seen.push(...(await db.tasks.list({ ...filter, page })).items.map((t) => t.id));
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('reads an agency reviewer’s first page in order from an index, without sorting the agency’s tasks', async () => {
    const [page] = await fixtures.timeInbox({ visibility: { agency: 'STATE', types: ['AGENCY_REVIEW'] }, page: 1, pageSize: 20 }, 1, 0);
    expect(page.plan).toMatch(/Index Scan using idx_task_(inbox_)?page/);
    expect(page.plan).not.toMatch(/\bSort\b/);
  });

  it('pages the same without the page indexes, when PostgreSQL sorts the rows itself (ties broken by id)', async () => {
    const applied = async () =>
      (await oracle.query(`SELECT 1 FROM migrations WHERE name = 'InboxPageIndexes1764300001300'`)).rowCount === 1;
    while (await applied()) await db.revertLastMigration();
    try {
      const [page] = await fixtures.timeInbox({ visibility: { agency: 'STATE', types: 'all' }, page: 1, pageSize: 20 }, 1, 0);
      expect(page.plan).toMatch(/\bSort\b/);
      for (const c of cases) await expectOraclePages(c);
    } finally {
      await db.migrate();
    }
  });
});
