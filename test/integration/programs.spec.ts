import { sync as ical } from 'node-ical';
import { programWorkflowId } from '../../libs/contracts/program';
import { planDate, planToday } from '../../libs/domain/program/plan';
import { seedDemoProposals } from '../../scripts/seed-demo';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { DEMO_PASSWORD, Stack } from '../support/stack';

// Plan days are federal days: count back from today's date in New York, as the API does.
const isoDaysAgo = (days: number) => planDate(planToday(new Date()), -days);

/** Program establishment plans and the pipeline report (EO 14320 sec. 3(a), docs/spec.md section 2.5 and 7). */
describe('program plans and the pipeline report', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const create = async (body: object) => {
    const res = await stack.as('program.manager', 'POST', '/api/v1/programs', body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const milestones = [
    { key: 'consult', title: 'Consult State and OSTP', ownerAgency: 'COMMERCE', dueDay: 30, eoRef: '3(a)' },
    { key: 'establish', title: 'Program established', ownerAgency: 'COMMERCE', dueDay: 60, eoRef: '3(a)', dependsOn: ['consult'] },
    { key: 'strategy', title: 'State-led strategy', ownerAgency: 'STATE', dueDay: 120, eoRef: '4(c)(i)' },
  ];

  it("seeds the order's own plan: day 90 from 2025-07-23 is 2025-10-21", async () => {
    const list = await stack.as('auditor', 'GET', '/api/v1/programs');
    const plan = list.body.find((p: { startDate: string }) => p.startDate === '2025-07-23');
    expect(plan).toEqual(expect.objectContaining({ deadline: '2025-10-21', deadlineDays: 90 }));
    expect(plan.milestones.map((m: { eoRef: string }) => m.eoRef)).toEqual(
      expect.arrayContaining(['3(a)', '3(b)', '3(c)', '4(a)', '4(b)', '4(c)(i)']),
    );
  });

  it('refuses a plan whose dependencies form a cycle (422)', async () => {
    const res = await stack.as('program.manager', 'POST', '/api/v1/programs', {
      name: 'Circular',
      startDate: '2025-07-23',
      milestones: [
        { key: 'a', title: 'A', ownerAgency: 'STATE', dueDay: 10, dependsOn: ['b'] },
        { key: 'b', title: 'B', ownerAgency: 'STATE', dueDay: 20, dependsOn: ['a'] },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([
      expect.objectContaining({ field: 'milestones', message: expect.stringMatching(/cycle: a -> b -> a/) }),
    ]);
  });

  it('reports a plan starting today as 90 days remaining and ON_TRACK', async () => {
    const plan = await create({ name: 'Starts today', startDate: isoDaysAgo(0), milestones });
    expect(plan).toEqual(expect.objectContaining({ daysRemaining: 90, status: 'ON_TRACK' }));
    expect(plan.milestones.map((m: { status: string }) => m.status)).toEqual(['PENDING', 'PENDING', 'PENDING']);
  });

  it('reports a plan started 100 days ago OVERDUE, marks the late milestones, and ends ESTABLISHED when all are done', async () => {
    const plan = await create({ name: 'Started 100 days ago', startDate: isoDaysAgo(100), milestones });
    expect(plan.status).toBe('OVERDUE');
    expect(plan.daysRemaining).toBe(-10);
    expect(plan.milestones.map((m: { key: string; status: string }) => `${m.key}:${m.status}`)).toEqual([
      'consult:OVERDUE',
      'establish:OVERDUE',
      'strategy:PENDING',
    ]);
    const marked = await stack.eventually('the workflow to mark both late milestones', async () => {
      const rows = await stack.sql(`SELECT action FROM audit_event WHERE subject_id = $1 AND action = 'MILESTONE_OVERDUE'`, [plan.id]);
      return rows.length === 2 && rows;
    });
    expect(marked).toHaveLength(2);

    const [consult, establish, strategy] = plan.milestones;
    const early = await stack.as('program.manager', 'POST', `/api/v1/programs/${plan.id}/milestones/${establish.id}/completion`, {
      evidence: { text: 'Launch notice' },
    });
    expect(early.status).toBe(422);
    expect(early.body.message).toMatch(/Consult State and OSTP/);
    expect(
      (
        await stack.as('state.reviewer', 'POST', `/api/v1/programs/${plan.id}/milestones/${consult.id}/completion`, {
          evidence: { text: 'x' },
        })
      ).status,
    ).toBe(403);

    await stack.restart(); // the plan's workflow survives a worker restart mid-plan
    for (const m of [consult, establish, strategy]) {
      const done = await stack.as('program.manager', 'POST', `/api/v1/programs/${plan.id}/milestones/${m.id}/completion`, {
        evidence: { text: `Evidence for ${m.title}`, link: 'https://www.trade.gov/ai-exports' },
      });
      expect(done.status).toBe(200);
    }
    const finished = await stack.as('program.manager', 'GET', `/api/v1/programs/${plan.id}`);
    expect(finished.body.status).toBe('ESTABLISHED');
    expect(
      finished.body.milestones.every((m: { status: string; evidence: { text: string } }) => m.status === 'DONE' && m.evidence.text),
    ).toBe(true);
    expect(
      (
        await stack.as('program.manager', 'POST', `/api/v1/programs/${plan.id}/milestones/${consult.id}/completion`, {
          evidence: { text: 'again' },
        })
      ).status,
    ).toBe(409);
    await recordHistory(stack, programWorkflowId(plan.id), 'program-overdue-then-established');
  });

  it('sends a reminder for a milestone due within the reminder window, and re-baselines with a reason', async () => {
    const plan = await create({
      name: 'Reminder window',
      startDate: isoDaysAgo(0),
      milestones: [
        { title: 'Due in three days', ownerAgency: 'STATE', dueDay: 3 },
        { title: 'Later', ownerAgency: 'OSTP', dueDay: 60 },
      ],
    });
    expect(plan.status).toBe('AT_RISK');
    await stack.eventually(
      'the reminder',
      async () =>
        (await stack.sql(`SELECT 1 FROM notification WHERE program_id = $1 AND kind = 'MILESTONE_REMINDER'`, [plan.id])).length === 1,
    );
    const later = plan.milestones[1];
    const moved = await stack.as('program.manager', 'POST', `/api/v1/programs/${plan.id}/milestones/${later.id}/rebaseline`, {
      dueDay: 75,
      reason: 'OSTP consultation extended',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.milestones[1].dueDay).toBe(75);
    const audit = await stack.sql(
      `SELECT reason, before, after FROM audit_event WHERE subject_id = $1 AND action = 'MILESTONE_REBASELINED'`,
      [plan.id],
    );
    expect(audit).toEqual([
      expect.objectContaining({
        reason: 'OSTP consultation extended',
        before: expect.objectContaining({ dueDay: 60 }),
        after: expect.objectContaining({ dueDay: 75 }),
      }),
    ]);
  });

  it('publishes the milestones as an iCalendar feed that an independent parser reads', async () => {
    const plan = await create({ name: 'Calendar', startDate: '2025-07-23', milestones });
    const res = await stack.as('program.manager', 'GET', `/api/v1/programs/${plan.id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    const events = Object.values(ical.parseICS(res.body as string)).filter((e) => e?.type === 'VEVENT') as {
      summary: string;
      start: Date;
    }[];
    expect(events.map((e) => e.summary).sort()).toEqual([
      'Consult State and OSTP (COMMERCE)',
      'Program established (COMMERCE)',
      'State-led strategy (STATE)',
    ]);
    const established = events.find((e) => e.summary.startsWith('Program established')) as { start: Date };
    expect(new Date(established.start).toISOString().slice(0, 10)).toBe('2025-09-21');
  });

  it('reports pipeline numbers that agree with direct SQL counts', async () => {
    const filed = await seedDemoProposals(stack.baseUrl, DEMO_PASSWORD);
    for (const { id, outcome } of filed) {
      await stack.eventually(
        `demo ${id}`,
        async () => (await stack.as('auditor', 'GET', `/api/v1/proposals/${id}`)).body.status === outcome,
      );
    }
    // Quiescent first: the two demo proposals under review open five tasks each, the possible match one.
    await stack.eventually('the demo tasks to open', async () => (await stack.sql(`SELECT count(*)::int AS n FROM task`))[0].n === 11);
    const report = (await stack.as('program.manager', 'GET', '/api/v1/reports/pipeline')).body;
    const byStatus = await stack.sql(`SELECT status, count(*)::int AS count FROM proposal GROUP BY status ORDER BY status`);
    expect(report.countsByStatus).toEqual(byStatus);
    const open = await stack.sql(
      `SELECT agency, count(*)::int AS n FROM task WHERE status IN ('OPEN', 'CLAIMED') GROUP BY agency ORDER BY agency`,
    );
    expect(
      report.tasksByAgency
        .filter((r: { open: number }) => r.open > 0)
        .map((r: { agency: string; open: number }) => ({ agency: r.agency, n: r.open })),
    ).toEqual(open);
    const [{ n: submitted }] = await stack.sql(`SELECT count(*)::int AS n FROM proposal`);
    expect(report.throughputPerWeek.reduce((sum: number, w: { submitted: number }) => sum + w.submitted, 0)).toBe(submitted);
    expect(report.medianDaysPerStage.map((s: { stage: string }) => s.stage)).toEqual(expect.arrayContaining(['SCREENING']));
    const csv = await stack.as('auditor', 'GET', '/api/v1/reports/pipeline?format=csv');
    expect(csv.body).toMatch(/^section,key,measure,value/);
    expect((await stack.as('commerce.reviewer', 'GET', '/api/v1/reports/pipeline')).status).toBe(403);
  });

  it("refuses submissions outside a governing call's window (422) and records the call a proposal answers", async () => {
    const [plan] = (await stack.as('program.manager', 'GET', '/api/v1/programs')).body;
    const closed = await stack.as('program.manager', 'POST', `/api/v1/programs/${plan.id}/calls`, {
      title: '2026 call',
      openDate: '2026-04-01',
      governsIntake: true,
    });
    expect(closed.status).toBe(201);
    expect(closed.body.calls).toEqual([expect.objectContaining({ title: '2026 call', closeDate: '2026-06-30', governsIntake: true })]);
    const late = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    expect(late.status).toBe(422);
    expect(late.body.message).toMatch(/2026-04-01 to 2026-06-30/);
    const open = await stack.as('program.manager', 'POST', `/api/v1/programs/${plan.id}/calls`, {
      title: 'Rolling call',
      openDate: isoDaysAgo(5),
      governsIntake: true,
    });
    const rolling = open.body.calls.find((c: { title: string }) => c.title === 'Rolling call');
    expect(open.body.calls.filter((c: { governsIntake: boolean }) => c.governsIntake)).toHaveLength(1);
    const filed = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    expect(filed.status).toBe(201);
    expect((await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${filed.body.id}`)).body.callId).toBe(rolling.id);
  });
});
