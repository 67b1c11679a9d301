import { proposalWorkflowId } from '../../libs/contracts/intake';
import { completeProposal } from '../support/fixtures';
import { Stack } from '../support/stack';

describe('foundation: the real system on Temporal and PostgreSQL', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it('answers /health with 200 when PostgreSQL and Temporal answer', async () => {
    const health = await stack.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    // What each dependency said is for an ADMIN only (docs/spec.md section 7).
    const details = await stack.as('admin', 'GET', '/api/v1/health/details');
    expect(details.body.details).toEqual({ postgres: { status: 'up' }, temporal: { status: 'up' } });
  });

  it('serves the OpenAPI document at /docs', async () => {
    const docs = await stack.request('GET', '/docs-json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/v1/proposals', '/api/v1/proposals/{id}']));
  });

  it('stores a submission, starts proposal:<id> and projects SUBMITTED -> SCREENING', async () => {
    const created = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal());
    expect(created.status).toBe(201);
    const { id } = created.body;
    const description = await stack.temporal.workflow.getHandle(proposalWorkflowId(id)).describe();
    expect(description.type).toBe('proposalWorkflow');
    const proposal = await stack.eventually('SCREENING in the read model', async () => {
      const res = await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`);
      return res.body.status !== 'SUBMITTED' && res.body;
    });
    expect(proposal.timeline.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(['SUBMITTED', 'STATUS_SCREENING']);
  });

  it('keeps proposals across a restart of the API and worker', async () => {
    const { body } = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal({ title: 'Survives restarts' }));
    await stack.restart();
    const after = await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${body.id}`);
    expect(after.status).toBe(200);
    expect(after.body.title).toBe('Survives restarts');
  });

  it('answers 400 with field-level details for a malformed submission, and stores nothing', async () => {
    const before = await stack.sql('SELECT count(*)::int AS n FROM proposal');
    const bad = completeProposal();
    (bad.consortium as { members: { country: string }[] }).members[2].country = 'ZZ';
    const res = await stack.as('applicant.acme', 'POST', '/api/v1/proposals', { ...bad, unexpected: true });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'consortium.members[2].country' }),
        expect.objectContaining({ field: 'unexpected' }),
      ]),
    );
    expect(await stack.sql('SELECT count(*)::int AS n FROM proposal')).toEqual(before);
  });

  it('answers 404 for an unknown proposal id', async () => {
    const res = await stack.as('applicant.acme', 'GET', '/api/v1/proposals/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toEqual(expect.objectContaining({ statusCode: 404, error: 'Not Found' }));
  });

  it('starts the workflow of a stored submission whose start was lost (Temporal unreachable at the time)', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    await stack.sql(
      `INSERT INTO proposal (id, title, status, submission, organisation, submitted_by, created_at)
       VALUES ($1, 'Stored while Temporal was down', 'SUBMITTED', $2, 'Acme AI Export Consortium', 'applicant.acme', now() - interval '1 minute')`,
      [id, JSON.stringify(completeProposal({ title: 'Stored while Temporal was down' }))],
    );
    const recovered = await stack.eventually(
      'the reconciler to start the workflow',
      async () => {
        const p = (await stack.as('applicant.acme', 'GET', `/api/v1/proposals/${id}`)).body;
        return p.status !== 'SUBMITTED' && p;
      },
      45_000,
    );
    expect(['SCREENING', 'UNDER_REVIEW']).toContain(recovered.status);
    expect((await stack.temporal.workflow.getHandle(proposalWorkflowId(id)).describe()).type).toBe('proposalWorkflow');
  });
});
