import { parse } from 'csv-parse/sync';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

type Task = { id: string; agency: string; type: string; status: string; escalated: boolean };
type AgencyRow = { agency: string; open: number; slaBreaches: number; openOverdue: number; completedLate: number; lapsed: number };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Oversight (docs/spec.md section 7): the pipeline report with its filters, CSV of every list, and the reference document. */
describe('oversight', () => {
  let stack: Stack;
  let late: string;
  let onTime: string;
  beforeAll(async () => {
    stack = await Stack.start({ REVIEW_SLA: '4s', REVIEW_REMINDER_AT: '0.5', THROTTLE_WRITES_PER_MINUTE: '10000' });
    const submit = async () => (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal())).body.id as string;
    [late, onTime] = [await submit(), await submit()];
    const tasksOf = (id: string) =>
      stack.eventually(`five review tasks of ${id}`, async () => {
        const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items as Task[];
        return items.length === 5 && items;
      });
    // On time: COMMERCE answers at once. Late: STATE answers after its review escalated.
    const [lateTasks, onTimeTasks] = [await tasksOf(late), await tasksOf(onTime)];
    for (const t of onTimeTasks.filter((x) => x.agency === 'COMMERCE')) {
      expect((await stack.as(REVIEWERS[t.agency], 'POST', `/api/v1/tasks/${t.id}/complete`, { decision: 'CONCUR' })).status).toBe(200);
    }
    const state = lateTasks.find((t) => t.agency === 'STATE') as Task;
    await stack.eventually(
      'the STATE review to escalate',
      async () => (await stack.sql(`SELECT 1 FROM task WHERE id = $1 AND escalated`, [state.id])).length === 1,
    );
    expect((await stack.as('state.reviewer', 'POST', `/api/v1/tasks/${state.id}/complete`, { decision: 'CONCUR' })).status).toBe(200);
    // Quiescent: the consultations (non-blocking) lapse after the same SLA.
    await stack.eventually(
      'the consultations to lapse',
      async () => (await stack.sql(`SELECT count(*)::int AS n FROM task WHERE decision = 'NO_RESPONSE'`))[0].n === 4,
    );
  });
  afterAll(() => stack?.stop());

  const pipeline = (query = '') => stack.as('program.manager', 'GET', `/api/v1/reports/pipeline${query}`);

  it('counts SLA breaches as direct SQL does: open overdue, completed late and lapsed', async () => {
    const report = (await pipeline()).body;
    const expected = await stack.sql<AgencyRow>(`
      SELECT agency,
             count(*) FILTER (WHERE status IN ('OPEN', 'CLAIMED'))::int AS open,
             count(*) FILTER (WHERE (status IN ('OPEN', 'CLAIMED') AND (escalated OR due_at < now()))
                                 OR (status = 'COMPLETED' AND completed_at > due_at)
                                 OR (status = 'CANCELLED' AND decision = 'NO_RESPONSE'))::int AS "slaBreaches",
             count(*) FILTER (WHERE status IN ('OPEN', 'CLAIMED') AND (escalated OR due_at < now()))::int AS "openOverdue",
             count(*) FILTER (WHERE status = 'COMPLETED' AND completed_at > due_at)::int AS "completedLate",
             count(*) FILTER (WHERE status = 'CANCELLED' AND decision = 'NO_RESPONSE')::int AS lapsed
        FROM task GROUP BY agency ORDER BY agency`);
    expect(report.tasksByAgency).toEqual(expected);
    const byAgency = Object.fromEntries((report.tasksByAgency as AgencyRow[]).map((r) => [r.agency, r]));
    // The late STATE review is a breach though completed; the on-time COMMERCE one is not.
    expect(byAgency.STATE.completedLate).toBe(1);
    expect(byAgency.COMMERCE.completedLate).toBe(0);
    expect(byAgency.DOD.lapsed).toBe(2);
    expect(report.countsByStatus).toEqual(
      await stack.sql(`SELECT status, count(*)::int AS count FROM proposal GROUP BY status ORDER BY status`),
    );
    expect(report.filter).toEqual({ from: null, to: null, agency: null });
  });

  it('filters by agency and date range', async () => {
    const state = (await pipeline('?agency=STATE')).body;
    expect(state.tasksByAgency.map((r: AgencyRow) => r.agency)).toEqual(['STATE']);
    expect(state.filter.agency).toBe('STATE');
    const all = (await pipeline()).body;
    expect(state.tasksByAgency[0]).toEqual(all.tasksByAgency.find((r: AgencyRow) => r.agency === 'STATE'));
    // SBA has no task: none of the proposals are its.
    expect((await pipeline('?agency=SBA')).body).toEqual(expect.objectContaining({ countsByStatus: [], tasksByAgency: [] }));

    const today = (await pipeline(`?from=${day(-1)}&to=${day(1)}`)).body;
    expect({ ...today, filter: null }).toEqual({ ...all, filter: null });
    const future = (await pipeline(`?from=${day(2)}`)).body;
    expect(future).toEqual(
      expect.objectContaining({ countsByStatus: [], tasksByAgency: [], medianDaysPerStage: [], throughputPerWeek: [] }),
    );
    const past = (await pipeline(`?to=${day(-2)}`)).body;
    expect(past).toEqual(expect.objectContaining({ countsByStatus: [], tasksByAgency: [], throughputPerWeek: [] }));
  });

  it('refuses bad dates, an inverted range and an unknown agency with 400 naming the field', async () => {
    for (const [query, field] of [
      ['?from=2026-02-30', 'from'],
      ['?to=yesterday', 'to'],
      ['?from=2026-01-01T00:00:00Z', 'from'],
      [`?from=${day(1)}&to=${day(-1)}`, 'from'],
      ['?agency=NASA', 'agency'],
      ['?format=xml', 'format'],
    ]) {
      const res = await pipeline(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(new Set(res.body.details.map((d: { field: string }) => d.field))).toEqual(new Set([field]));
    }
    expect((await stack.as('commerce.reviewer', 'GET', '/api/v1/reports/pipeline?agency=STATE')).status).toBe(403);
  });

  it('gives the pipeline as CSV with the breach measures, filtered the same way', async () => {
    const res = await stack.as('auditor', 'GET', '/api/v1/reports/pipeline?format=csv&agency=STATE');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(res.body, { columns: true }) as { section: string; key: string; measure: string; value: string }[];
    expect(rows.filter((r) => r.section === 'agency').map((r) => r.key)).toEqual(expect.arrayContaining(['STATE']));
    expect(new Set(rows.filter((r) => r.section === 'agency').map((r) => r.key))).toEqual(new Set(['STATE']));
    expect(rows.find((r) => r.measure === 'completed late')?.value).toBe('1');
  });

  it('gives proposals, tasks and audit events as CSV: the same rows as the JSON page', async () => {
    const cases: [string, string][] = [
      ['program.manager', '/api/v1/proposals?pageSize=50'],
      ['auditor', `/api/v1/tasks?proposalId=${late}&pageSize=50`],
      ['state.reviewer', '/api/v1/tasks?pageSize=50'],
      ['auditor', `/api/v1/audit?subject=${late}&pageSize=100`],
    ];
    for (const [user, path] of cases) {
      const json = (await stack.as(user, 'GET', path)).body.items as Record<string, unknown>[];
      const csv = await stack.as(user, 'GET', `${path}&format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
      expect(json.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.id)).toEqual(json.map((j) => String(j.id)));
      expect(Object.keys(rows[0])).toEqual([...new Set(json.flatMap((j) => Object.keys(j)))]);
    }
    const tasks = parse((await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${late}&format=csv`)).body, {
      columns: true,
    }) as Record<string, string>[];
    const state = tasks.find((t) => t.agency === 'STATE');
    expect(state).toEqual(
      expect.objectContaining({ status: 'COMPLETED', decision: 'CONCUR', assignee: 'state.reviewer', escalated: 'true' }),
    );
    expect((await stack.as('auditor', 'GET', '/api/v1/audit?format=pdf')).status).toBe(400);
    expect((await stack.as('commerce.reviewer', 'GET', '/api/v1/audit?format=csv')).status).toBe(403);
  });

  it("gives an applicant its own proposals as CSV in the applicant view (flags empty, other applicants' none)", async () => {
    const json = (await stack.as('applicant.acme', 'GET', '/api/v1/proposals')).body.items as Record<string, unknown>[];
    const rows = parse((await stack.as('applicant.acme', 'GET', '/api/v1/proposals?format=csv')).body, { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => r.id).sort()).toEqual([late, onTime].sort());
    expect(Object.keys(rows[0])).toEqual(Object.keys(json[0]));
    // The applicant's rows: its status label, never a reviewer's flag.
    expect(rows.map((r) => [r.flags, typeof r.statusLabel])).toEqual(rows.map(() => ['[]', 'string']));
    expect(parse((await stack.as('applicant.globex', 'GET', '/api/v1/proposals?format=csv')).body, { columns: true })).toEqual([]);
  });

  it('serves the reference document at GET /reference to any signed-in user, the same as /reference/rules', async () => {
    const rules = (await stack.as('commerce.reviewer', 'GET', '/api/v1/reference/rules')).body;
    for (const user of ['applicant.acme', 'sba.supervisor', 'auditor']) {
      const res = await stack.as(user, 'GET', '/api/v1/reference');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(rules);
    }
    const doc = rules;
    expect(doc.proposalStatuses).toContain('RETURNED_FOR_INFORMATION');
    expect(doc.taskTypes.AGENCY_REVIEW.decisions.map((d: { code: string }) => d.code)).toEqual([
      'CONCUR',
      'CONCUR_WITH_CONDITIONS',
      'NON_CONCUR',
    ]);
    expect(doc.financingInstruments.length).toBeGreaterThan(0);
    expect(doc.roles).toContain('SUPERVISOR');
    expect(doc.access['POST /tasks/:id/reassignment']).toEqual({ kind: 'roles', roles: ['SUPERVISOR'] });
    expect((await stack.request('GET', '/api/v1/reference')).status).toBe(401);
  });
});
