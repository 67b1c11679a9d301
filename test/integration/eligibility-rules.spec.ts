import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';
import { REVIEWERS } from '../support/designation';

/**
 * The eligibility items of DOMAIN.md section 6 (open-weight models, the D:5/Macau headquarters
 * test, the outbound investment attestation) and the SBA table's undecidable rows, through the API.
 */
describe('eligibility rules and SBA determinations from the reference tables', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const submit = async (body: unknown) => {
    const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const settlesIn = (id: string, status: string) =>
    stack.eventually(`proposal ${id} to reach ${status}`, async () => {
      const p = (await stack.as('commerce.reviewer', 'GET', `/api/v1/proposals/${id}`)).body;
      return p.status === status && p;
    });
  const complete = (user: string, taskId: string, body: object) => stack.as(user, 'POST', `/api/v1/tasks/${taskId}/complete`, body);

  it('finds a proposal naming an open-weight model from China INELIGIBLE, citing the reported rule', async () => {
    const body = completeProposal();
    body.stack.models = {
      description: 'Foundation models',
      models: [
        { name: 'Llama 3.1 70B', originCountry: 'US', openWeights: true },
        { name: 'DeepSeek-V3', originCountry: 'CN', openWeights: true },
      ],
    } as never;
    const id = await submit(body);

    const p = await settlesIn(id, 'INELIGIBLE');
    expect(p.eligibility.eligible).toBe(false);
    expect(p.eligibility.reasons).toEqual([
      {
        code: 'OPEN_WEIGHT_MODEL_FROM_COUNTRY_OF_CONCERN',
        message: expect.stringContaining('"DeepSeek-V3", an open-weight model from China (CN)'),
      },
    ]);
    // The applicant sees the reason too (SPEC 1: eligibility with its reasons), with its status as reported.
    const own = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(own.eligibility.reasons[0].message).toContain('reported, not yet confirmed in the official text');
  });

  it('refuses a named model with a bad origin country or no openWeights with 400 naming the field', async () => {
    const body = completeProposal();
    body.stack.models = { description: 'Models', models: [{ name: 'M', originCountry: 'XX' }] } as never;

    const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body);

    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['stack.models.models[0].originCountry', 'stack.models.models[0].openWeights']),
    );
  });

  it('shows a reviewer the D:5 headquarters and outbound investment flags, and the applicant neither', async () => {
    const body = completeProposal({ compliance: { exportControlAttestation: true } });
    body.consortium.members.push({
      name: 'Andes Edge Computing S.A.',
      country: 'CL',
      ultimateParentName: 'Caracas Holdings C.A.',
      ultimateParentCountry: 'VE',
      layers: ['APPLICATIONS'],
    } as never);
    const id = await submit(body);

    const p = await settlesIn(id, 'UNDER_REVIEW');
    expect(p.eligibility.eligible).toBe(true);
    const flags = new Map(p.flags.map((f: { code: string; message: string }) => [f.code, f.message]));
    expect([...flags.keys()].sort()).toEqual(['HEADQUARTERS_IN_D5_OR_MACAU', 'OUTBOUND_INVESTMENT_NOT_ATTESTED']);
    expect(flags.get('HEADQUARTERS_IN_D5_OR_MACAU')).toContain(
      '"Caracas Holdings C.A." is headquartered in Venezuela (VE) in EAR Country Group D:5',
    );
    expect(flags.get('OUTBOUND_INVESTMENT_NOT_ATTESTED')).toContain('31 CFR part 850');
    for (const reviewer of ['state.reviewer', 'ostp.reviewer', 'dod.reviewer']) {
      const seen = (await stack.as(reviewer, 'GET', `/api/v1/proposals/${id}`)).body;
      expect(seen.flags.map((f: { code: string }) => f.code).sort()).toEqual([
        'HEADQUARTERS_IN_D5_OR_MACAU',
        'OUTBOUND_INVESTMENT_NOT_ATTESTED',
      ]);
    }

    const own = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(own.flags).toEqual([]);
    expect(JSON.stringify(own)).not.toMatch(/HEADQUARTERS_IN_D5_OR_MACAU|OUTBOUND_INVESTMENT_NOT_ATTESTED/);
  });

  it('refers a member whose NAICS code has an exception row to SBA for its own determination, the reason on the task', async () => {
    const body = completeProposal();
    body.consortium.members = [
      { name: 'Acme Compute Inc.', country: 'US', layers: ['HARDWARE'], usConcern: true, naics: '334111', employees: 5_000 },
      // 541519 has the IT value-added reseller exception (150 employees): the table cannot decide it.
      {
        name: 'Blue River Data LLC',
        country: 'US',
        layers: ['DATA_PIPELINES', 'MODELS'],
        usConcern: true,
        naics: '541519',
        averageAnnualReceiptsUsd: 9_000_000,
      },
      { name: 'Safeguard Cyber Corp.', country: 'US', layers: ['SECURITY', 'APPLICATIONS'], usConcern: false },
    ] as never;
    const id = await submit(body);
    const reviews = await stack.eventually('five reviews', async () => {
      const items = (await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}`)).body.items;
      return items.length === 5 && items;
    });
    for (const t of reviews) expect((await complete(REVIEWERS[t.agency], t.id, { decision: 'CONCUR' })).status).toBe(200);
    const designation = await stack.eventually('the designation task', async () => {
      const items = (await stack.as('commerce.decider', 'GET', `/api/v1/tasks?proposalId=${id}&type=DESIGNATION_DECISION`)).body.items;
      return items[0];
    });
    expect((await complete('commerce.decider', designation.id, { decision: 'DESIGNATE' })).status).toBe(200);

    const sba = await stack.eventually('the SBA referral', async () => {
      const items = (await stack.as('sba.officer', 'GET', `/api/v1/tasks?proposalId=${id}&type=SBA_REFERRAL`)).body.items;
      return items[0];
    });
    const byName = new Map(sba.members.map((m: { name: string }) => [m.name, m]));
    expect(byName.get('Acme Compute Inc.')).toMatchObject({
      status: 'NOT_SMALL',
      table: { source: '13 CFR 121.201', effective: '2023-03-17' },
    });
    expect(byName.get('Blue River Data LLC')).toMatchObject({
      status: 'SBA_TO_DETERMINE',
      missing: [],
      table: { source: '13 CFR 121.201', effective: '2023-03-17' },
      reason: expect.stringContaining('Information Technology Value Added Resellers: 150 employees'),
    });

    const p = (await stack.as('sba.officer', 'GET', `/api/v1/proposals/${id}`)).body;
    expect(p.sbaReferral).toMatchObject({ status: 'PENDING' });
    expect(p.sbaReferral.members.find((m: { name: string }) => m.name === 'Blue River Data LLC').reason).toContain(
      "referred to SBA for SBA's own size determination",
    );
  });
});
