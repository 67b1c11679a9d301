import { Stack } from '../support/stack';

/** docs/spec.md section 7: the public health check says up or down; the details are for an ADMIN. */
describe('health checks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it('answers an anonymous GET /health with the status alone', async () => {
    const health = await stack.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });

  it("shows an ADMIN each dependency's status at GET /api/v1/health/details", async () => {
    const details = await stack.as('admin', 'GET', '/api/v1/health/details');
    expect(details.status).toBe(200);
    expect(details.body).toEqual({ status: 'ok', details: { postgres: { status: 'up' }, temporal: { status: 'up' } } });
  });

  it('refuses the details to anyone else: 401 without a token, 403 for a non-admin', async () => {
    expect((await stack.request('GET', '/api/v1/health/details')).status).toBe(401);
    for (const user of ['auditor', 'program.manager', 'commerce.reviewer', 'applicant.acme']) {
      const res = await stack.as(user, 'GET', '/api/v1/health/details');
      expect({ user, status: res.status, details: res.body.details }).toEqual({ user, status: 403, details: [] });
    }
  });
});
