import { Stack } from '../support/stack';

/** docs/spec.md section 7: bad input is 400 with field details, never 500; page is 1 to 10000 (README "API"). */
const BAD_NUMBERS = ['1000000000000000000', '99999999999999999999', '1e18', '10001', '-1', '0', '1.5', '1e2', 'abc', '0x10', '%20'];
const ENDPOINTS = [
  { path: '/api/v1/proposals', pageSizeMax: 100 },
  { path: '/api/v1/tasks', pageSizeMax: 100 },
  { path: '/api/v1/audit', pageSizeMax: 500 },
];

describe('paging parameters are bounded', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(() => stack?.stop());

  it.each(ENDPOINTS)(
    '$path: refuses huge, negative, fractional, exponent and non-numeric page and pageSize with 400',
    async ({ path, pageSizeMax }) => {
      const outcomes: string[] = [];
      for (const [field, values] of [
        ['page', BAD_NUMBERS],
        ['pageSize', [...BAD_NUMBERS, String(pageSizeMax + 1)]],
      ] as const) {
        for (const value of values) {
          const res = await stack.as('auditor', 'GET', `${path}?${field}=${value}`);
          const fields = Array.isArray(res.body?.details) ? res.body.details.map((d: { field: string }) => d.field) : null;
          if (res.status !== 400 || !fields?.length || fields.some((f: string) => f !== field)) {
            outcomes.push(`${field}=${value}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          }
        }
      }
      expect(outcomes).toEqual([]);
    },
  );

  it.each(ENDPOINTS)('$path: serves the bounds themselves', async ({ path, pageSizeMax }) => {
    const res = await stack.as('auditor', 'GET', `${path}?page=10000&pageSize=${pageSizeMax}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ items: [], page: 10000, pageSize: pageSizeMax }));
    expect((await stack.as('auditor', 'GET', `${path}?page=1&pageSize=1`)).status).toBe(200);
  });
});
