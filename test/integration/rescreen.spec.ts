import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectPath } from '../../libs/config/paths';
import { proposalWorkflowId } from '../../libs/contracts/intake';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

/** One member per proposal that only the second list version names. */
const MEMBERS = { confirmed: 'Kestrel Optics Ltd', cleared: 'Harrow Signal Ltd', financed: 'Pellucid Grid Ltd' } as const;

interface Task {
  id: string;
  type: string;
  agency: string;
  status: string;
  [field: string]: unknown;
}

/**
 * Continuous screening through the API and the import command (docs/spec.md section 2.4a): a new
 * list version re-screens the open proposals; a newly matched member opens an adjudication and puts
 * the proposal on hold, whatever its stage; CONFIRM_MATCH ends it INELIGIBLE (revoking a designation
 * and telling the agency that committed), CLEAR lets it go on.
 */
describe('continuous screening', () => {
  let stack: Stack;
  let workDir: string;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', THROTTLE_READS_PER_MINUTE: '100000' });
    workDir = mkdtempSync(join(tmpdir(), 'rescreen-spec-'));
  });
  afterAll(() => stack?.stop());

  const tasksOf = async (id: string, type?: string): Promise<Task[]> =>
    (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&pageSize=100${type ? `&type=${type}` : ''}`)).body.items;
  const openTask = (id: string, type: string) =>
    stack.eventually(`an open ${type} of ${id}`, async () => (await tasksOf(id, type)).find((t) => t.status === 'OPEN'));
  const complete = (user: string, taskId: string, body: object) => stack.as(user, 'POST', `/api/v1/tasks/${taskId}/complete`, body);
  const proposal = async (id: string, user = 'auditor') => (await stack.as(user, 'GET', `/api/v1/proposals/${id}`)).body;
  const statusIs = (id: string, status: string) =>
    stack.eventually(`proposal ${id} ${status}`, async () => {
      const p = await proposal(id);
      return p.status === status && p;
    });

  const submit = async (member: string) => {
    const base = completeProposal();
    const body = completeProposal({
      title: `Package with ${member}`,
      consortium: {
        ...base.consortium,
        members: [...base.consortium.members, { name: member, country: 'GB', layers: ['APPLICATIONS'], usConcern: false }],
      },
    });
    const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  const concurAll = async (id: string) => {
    const reviews = await stack.eventually('five reviews', async () => {
      const open = (await tasksOf(id)).filter((t) => ['AGENCY_REVIEW', 'CONSULTATION'].includes(t.type) && t.status === 'OPEN');
      return open.length === 5 && open;
    });
    for (const t of reviews) expect((await complete(REVIEWERS[t.agency], t.id, { decision: 'CONCUR' })).status).toBe(200);
  };

  /** Runs the import command (as an operator would) with a list naming the given parties beside the sample's. */
  const importList = (name: string, listed: string[], temporalAddress?: string) => {
    const sample = readFileSync(projectPath('data', 'csl-sample.csv'), 'utf8').trimEnd().split('\n');
    const template = sample[1];
    const rows = listed.map((party, i) =>
      template
        .replace('sample-el-0001', `rescreen-${i}`)
        .replace('"Huawei Technologies Co., Ltd."', party)
        .replace('Huawei; Huawei Technologies', ''),
    );
    const file = join(workDir, name);
    writeFileSync(file, [...sample, ...rows].join('\n') + '\n');
    const state = JSON.parse(readFileSync(process.env.EXPORTS_DESK_TEST_STATE as string, 'utf8')) as { temporalAddress: string };
    const run = spawnSync(process.execPath, [projectPath('dist', 'scripts', 'screening-import.js'), file], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        DATABASE_URL: stack.databaseUrl,
        TEMPORAL_ADDRESS: temporalAddress ?? state.temporalAddress,
        TEMPORAL_NAMESPACE: stack.namespace,
      },
    });
    expect(run.status).toBe(0);
    return run.stdout;
  };

  it('re-screens open proposals against a new list version: hold, adjudication, confirmation, clearance and revocation', async () => {
    // A package in FINANCING with EXIM's commitment, and two proposals under review.
    const financed = await submit(MEMBERS.financed);
    await concurAll(financed);
    const designation = await openTask(financed, 'DESIGNATION_DECISION');
    expect((await complete('commerce.decider', designation.id, { decision: 'DESIGNATE' })).status).toBe(200);
    const assignment = await openTask(financed, 'FINANCING_ASSIGNMENT');
    const assigned = await complete('edag.coordinator', assignment.id, {
      decision: 'ASSIGN',
      data: {
        assignments: [
          { instrumentId: 'exim_loan_guarantee', agency: 'EXIM', amountUsd: 50_000_000 },
          { instrumentId: 'dfc_pri', agency: 'DFC', amountUsd: 5_000_000 },
        ],
      },
    });
    expect(assigned.status).toBe(200);
    const reviewsOf = async () => {
      const items = (await stack.eventually('two financing reviews', async () => {
        const open = (await tasksOf(financed, 'FINANCING_REVIEW')).filter((t) => t.status === 'OPEN');
        return open.length === 2 && open;
      })) as Task[];
      return Object.fromEntries(items.map((t) => [t.agency, t]));
    };
    const financingReviews = await reviewsOf();
    expect((await complete('exim.officer', financingReviews.EXIM.id, { decision: 'COMMIT', data: { amountUsd: 45_000_000 } })).status).toBe(
      200,
    );

    const confirmed = await submit(MEMBERS.confirmed);
    const cleared = await submit(MEMBERS.cleared);
    await statusIs(confirmed, 'UNDER_REVIEW');
    await statusIs(cleared, 'UNDER_REVIEW');
    const firstList = (await stack.as('commerce.compliance', 'GET', '/api/v1/screening/lists')).body.items[0];

    const output = importList('second.csv', Object.values(MEMBERS));
    expect(output).toContain('Re-screening of the open proposals started.');
    const lists = await stack.eventually('the re-screening finished', async () => {
      const res = await stack.as('commerce.compliance', 'GET', '/api/v1/screening/lists');
      return res.body.items[0]?.rescreen?.finishedAt && res.body.items;
    });
    expect(lists).toHaveLength(2);
    const [second, first] = lists;
    expect(first).toMatchObject({ id: firstList.id, active: false });
    expect(second).toMatchObject({ active: true, entries: first.entries + 3, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(second.rescreen).toMatchObject({ total: 3, done: 3, newMatches: 3 });
    for (const user of ['auditor', 'program.manager']) expect((await stack.as(user, 'GET', '/api/v1/screening/lists')).status).toBe(200);
    for (const user of ['commerce.reviewer', 'applicant.acme', 'exim.officer'])
      expect((await stack.as(user, 'GET', '/api/v1/screening/lists')).status).toBe(403);
    expect((await stack.request('GET', '/api/v1/screening/lists')).status).toBe(401);

    // Importing the same file again changes nothing and re-screens nothing.
    expect(importList('second-again.csv', Object.values(MEMBERS))).toContain('Unchanged');

    // Each newly matched proposal: an adjudication showing its own match, status unchanged, screening on hold.
    const adjudications: Record<string, Task> = {};
    for (const [key, id] of Object.entries({ confirmed, cleared, financed })) {
      adjudications[key] = await openTask(id, 'SCREENING_ADJUDICATION');
      expect(adjudications[key].matches).toEqual([
        expect.objectContaining({
          listedName: MEMBERS[key as keyof typeof MEMBERS],
          role: `member ${MEMBERS[key as keyof typeof MEMBERS]}`,
        }),
      ]);
      const p = await proposal(id);
      expect(p.status).toBe(key === 'financed' ? 'FINANCING' : 'UNDER_REVIEW');
      expect(p.screening.status).toBe('POTENTIAL_MATCH');
    }
    const applicantView = await proposal(confirmed, 'applicant.acme');
    expect(applicantView.screening).toEqual({ status: 'POTENTIAL_MATCH' });
    expect(applicantView).not.toHaveProperty('screenings');

    // On hold: committing decisions are refused, declining is not.
    expect((await complete('dfc.officer', financingReviews.DFC.id, { decision: 'COMMIT', data: { amountUsd: 5_000_000 } })).status).toBe(
      409,
    );
    expect((await complete('dfc.officer', financingReviews.DFC.id, { decision: 'DECLINE', comment: 'No PRI capacity' })).status).toBe(200);
    await concurAll(confirmed);
    await concurAll(cleared);
    const heldDesignations: Record<string, Task> = {};
    for (const [key, id] of Object.entries({ confirmed, cleared })) {
      heldDesignations[key] = await openTask(id, 'DESIGNATION_DECISION');
      const refused = await complete('commerce.decider', heldDesignations[key].id, { decision: 'DESIGNATE' });
      expect(refused.status).toBe(409);
      expect(refused.body.message).toContain('on hold');
    }
    expect((await tasksOf(confirmed, 'DESIGNATION_DECISION'))[0].status).toBe('OPEN');

    // CONFIRM_MATCH on a proposal awaiting its designation decision: INELIGIBLE, its open tasks cancelled.
    expect(
      (await complete('commerce.compliance', adjudications.confirmed.id, { decision: 'CONFIRM_MATCH', comment: 'Listed entity confirmed' }))
        .status,
    ).toBe(200);
    const ineligible = await statusIs(confirmed, 'INELIGIBLE');
    expect(ineligible.screening.status).toBe('CONFIRMED_MATCH');
    await stack.eventually(
      'the designation task cancelled',
      async () => (await tasksOf(confirmed, 'DESIGNATION_DECISION'))[0].status === 'CANCELLED',
    );
    expect(ineligible.designation).toBeNull();
    expect(ineligible.screenings).toEqual([
      expect.objectContaining({ kind: 'INTAKE', status: 'CLEAR', listVersion: first.id }),
      expect.objectContaining({
        kind: 'RESCREEN',
        status: 'POTENTIAL_MATCH',
        decision: 'CONFIRM_MATCH',
        decidedBy: 'commerce.compliance',
        listVersion: second.id,
        list: expect.objectContaining({ id: second.id, checksum: second.checksum }),
      }),
    ]);
    expect(Date.parse(ineligible.screenings[0].at)).toBeLessThan(Date.parse(ineligible.screenings[1].at));

    // CLEAR lifts the hold: the designation goes through.
    expect(
      (await complete('commerce.compliance', adjudications.cleared.id, { decision: 'CLEAR', comment: 'Different company' })).status,
    ).toBe(200);
    await stack.eventually('the hold lifted', async () => (await proposal(cleared)).screening.status === 'CLEAR');
    expect((await complete('commerce.decider', heldDesignations.cleared.id, { decision: 'DESIGNATE' })).status).toBe(200);
    await statusIs(cleared, 'FINANCING');

    // CONFIRM_MATCH on a designated package in financing: INELIGIBLE, designation revoked, EXIM (which committed) told.
    expect(
      (
        await complete('commerce.compliance', adjudications.financed.id, {
          decision: 'CONFIRM_MATCH',
          comment: 'Listed on the Entity List',
        })
      ).status,
    ).toBe(200);
    await statusIs(financed, 'INELIGIBLE');
    const revoked = await stack.eventually('the designation revoked', async () => {
      const p = await proposal(financed);
      return p.designation?.revokedAt && p;
    });
    expect(revoked.designation).toMatchObject({
      decision: 'DESIGNATE',
      revokedReason: expect.stringContaining('Listed on the Entity List'),
    });
    expect(revoked.timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['RESCREENED', 'DESIGNATION_REVOKED']),
    );
    await stack.eventually('open financing tasks cancelled', async () =>
      (await tasksOf(financed)).every((t) => t.status !== 'OPEN' && t.status !== 'CLAIMED'),
    );
    const notified = await stack.sql(
      `SELECT recipient_agency AS agency, recipient_role AS role FROM notification WHERE proposal_id = $1 AND event_key LIKE 'designation-revoked:%' ORDER BY 1, 2`,
      [financed],
    );
    expect(notified).toEqual([
      { agency: 'EXIM', role: 'FINANCING_OFFICER' },
      { agency: 'EXIM', role: 'SUPERVISOR' },
    ]);
    expect(
      await stack.sql(
        `SELECT action FROM audit_event WHERE subject_id = $1 AND action IN ('DESIGNATION_REVOKED', 'PROPOSAL_RESCREENED', 'PROPOSAL_SCREENING_HOLD', 'SCREENING_ADJUDICATED') ORDER BY id`,
        [financed],
      ),
    ).toEqual([
      { action: 'PROPOSAL_RESCREENED' },
      { action: 'PROPOSAL_SCREENING_HOLD' },
      { action: 'SCREENING_ADJUDICATED' },
      { action: 'DESIGNATION_REVOKED' },
    ]);
    await recordHistory(stack, proposalWorkflowId(financed), 'rescreen-proposal-confirmed-in-financing');
  });

  it('leaves the batch to the worker when the import cannot reach Temporal, and asks nothing already adjudicated again', async () => {
    const before = (await stack.as('auditor', 'GET', '/api/v1/screening/lists')).body.items;
    // The worker's sweep (every 30 s) would start the batch too: stopped, it cannot, so a batch not
    // started below is the import's doing, and the one after the restart is the worker's at boot.
    await stack.stopWorker();
    // Nothing listens on port 1: the import stores and activates the list, and says who starts the batch.
    const output = importList('third.csv', [...Object.values(MEMBERS), 'Quillon Systems Ltd'], '127.0.0.1:1');
    expect(output).toContain('the worker will start the re-screening');
    // Polled: the import waited on Temporal longer than the API keeps an idle connection open.
    const [third] = await stack.eventually(
      'the lists',
      async () => (await stack.as('auditor', 'GET', '/api/v1/screening/lists')).body.items,
    );
    expect(third).toMatchObject({ active: true, rescreen: null });
    expect(third.id).not.toBe(before[0].id);
    await stack.restart();
    const lists = await stack.eventually('the worker started and finished the batch', async () => {
      const items = (await stack.as('auditor', 'GET', '/api/v1/screening/lists')).body.items;
      return items[0]?.rescreen?.finishedAt && items;
    });
    // Only the cleared package (now in FINANCING) is still screened; its cleared match is not asked about again.
    expect(lists[0]).toMatchObject({ id: third.id, rescreen: { total: 1, done: 1, newMatches: 0 } });
    const cleared = (await stack.as('auditor', 'GET', '/api/v1/proposals?status=FINANCING')).body.items;
    expect(cleared).toHaveLength(1);
    const p = await proposal(cleared[0].id);
    expect(p.screening.status).toBe('CLEAR');
    expect(p.screenings.map((x: { kind: string; listVersion: string }) => `${x.kind}:${x.listVersion}`)).toEqual([
      `INTAKE:${before[1].id}`,
      `RESCREEN:${before[0].id}`,
      `RESCREEN:${third.id}`,
    ]);
    expect((await tasksOf(cleared[0].id, 'SCREENING_ADJUDICATION')).map((t) => t.status)).toEqual(['COMPLETED']);
  });
});
