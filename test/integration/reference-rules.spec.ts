import { AGENCIES, PROPOSAL_READER_ROLES, ROLE_AGENCIES, ROLES } from '../../libs/domain/identity/roles';
import { FINAL_STATUSES, PROPOSAL_STATUSES } from '../../libs/domain/intake/proposal-status';
import { APPLICATION_SECTORS, STACK_LAYERS } from '../../libs/domain/intake/submission';
import { TASK_STATUSES, TASK_TYPES } from '../../libs/domain/tasks/task-types';
import { FINANCING_INSTRUMENTS } from '../../libs/reference-data';
import { Stack } from '../support/stack';

/** GET /reference/rules: the rules the web UI shows, as the server's own constants state them. */
describe('reference rules for the web UI', () => {
  let stack: Stack;
  let rules: any;
  beforeAll(async () => {
    // Denials without a token are audited once per client and window (docs/spec.md section 4): a short window here.
    stack = await Stack.start({ DENIAL_AUDIT_WINDOW: '1s' });
    const res = await stack.as('applicant.acme', 'GET', '/api/v1/reference/rules');
    expect(res.status).toBe(200);
    rules = res.body;
  });
  afterAll(() => stack?.stop());

  const decision = (type: string, code: string) => rules.taskTypes[type].decisions.find((d: { code: string }) => d.code === code);

  it('answers an anonymous call with 401, audited in the aggregate denial events', async () => {
    const res = await stack.request('GET', '/api/v1/reference/rules');
    expect(res.status).toBe(401);
    await stack.eventually('an aggregate denial event naming the route', async () => {
      const rows = await stack.sql(
        `SELECT 1 FROM audit_event WHERE action = 'ACCESS_DENIED_AGGREGATE' AND after->'routes' ? 'GET /api/v1/reference/rules'`,
      );
      return rows.length > 0;
    });
  });

  it('gives the same rules to every signed-in role', async () => {
    for (const user of ['commerce.reviewer', 'auditor', 'admin']) {
      const res = await stack.as(user, 'GET', '/api/v1/reference/rules');
      expect(res.status).toBe(200);
      expect(res.body).toEqual(rules);
    }
  });

  it('lists the proposal statuses, the final ones and the task statuses', () => {
    expect(rules.proposalStatuses).toEqual(PROPOSAL_STATUSES);
    expect(rules.finalProposalStatuses).toEqual(PROPOSAL_STATUSES.filter((s) => FINAL_STATUSES.includes(s)));
    expect(rules.taskStatuses).toEqual(TASK_STATUSES);
  });

  it('has every task type with its agencies, roles and every decision', () => {
    expect(Object.keys(rules.taskTypes)).toEqual(Object.keys(TASK_TYPES));
    for (const [type, spec] of Object.entries(TASK_TYPES)) {
      expect(rules.taskTypes[type].agencies).toEqual(spec.agencies);
      expect(rules.taskTypes[type].roles).toEqual(spec.roles);
      expect(rules.taskTypes[type].decisions.map((d: { code: string }) => d.code)).toEqual(spec.decisions);
    }
  });

  it('states what each decision needs, as the completion validator enforces it', () => {
    expect(decision('AGENCY_REVIEW', 'NON_CONCUR')).toEqual({
      code: 'NON_CONCUR',
      comment: 'ALWAYS',
      conditions: 'NEVER',
      data: {},
      answeredInformationRequest: false,
    });
    expect(decision('CONSULTATION', 'NON_CONCUR').comment).toBe('ALWAYS');
    expect(decision('AGENCY_REVIEW', 'CONCUR')).toEqual({
      code: 'CONCUR',
      comment: 'NEVER',
      conditions: 'NEVER',
      data: {},
      answeredInformationRequest: false,
    });
    expect(decision('AGENCY_REVIEW', 'CONCUR_WITH_CONDITIONS')).toEqual({
      code: 'CONCUR_WITH_CONDITIONS',
      comment: 'NEVER',
      conditions: 'ALWAYS',
      data: {},
      answeredInformationRequest: false,
    });
    expect(decision('SCREENING_ADJUDICATION', 'CONFIRM_MATCH').comment).toBe('ALWAYS');
    expect(decision('SCREENING_ADJUDICATION', 'CLEAR').comment).toBe('NEVER');
    expect(decision('DESIGNATION_DECISION', 'DESIGNATE').comment).toBe('WHEN_NON_CONCURRENCE');
    expect(decision('DESIGNATION_DECISION', 'DECLINE').comment).toBe('ALWAYS');
    expect(decision('FINANCING_ASSIGNMENT', 'ASSIGN')).toEqual({
      code: 'ASSIGN',
      comment: 'NEVER',
      conditions: 'NEVER',
      data: { assignments: 'ALWAYS' },
      answeredInformationRequest: false,
    });
    expect(decision('FINANCING_REVIEW', 'COMMIT')).toEqual({
      code: 'COMMIT',
      comment: 'NEVER',
      conditions: 'NEVER',
      data: { amountUsd: 'ALWAYS' },
      answeredInformationRequest: false,
    });
    expect(decision('FINANCING_REVIEW', 'DECLINE').comment).toBe('ALWAYS');
    expect(decision('SBA_REFERRAL', 'ACCEPT')).toEqual({
      code: 'ACCEPT',
      comment: 'NEVER',
      conditions: 'NEVER',
      data: {},
      answeredInformationRequest: false,
    });
    expect(decision('SBA_REFERRAL', 'DECLINE').comment).toBe('ALWAYS');
    // An advocacy referral is accepted only once the applicant answered an information request (docs/spec.md section 2.3a).
    expect(decision('ADVOCACY_REFERRAL', 'ACCEPT').answeredInformationRequest).toBe(true);
    expect(decision('ADVOCACY_REFERRAL', 'DECLINE')).toEqual(
      expect.objectContaining({ comment: 'ALWAYS', answeredInformationRequest: false }),
    );
    expect(decision('LICENSING_REVIEW', 'PRIORITIZE').answeredInformationRequest).toBe(false);
  });

  it('lists roles, agencies, which roles belong where and the financing agencies', () => {
    expect(rules.roles).toEqual(ROLES);
    expect(rules.agencies).toEqual(AGENCIES);
    expect(rules.roleAgencies).toEqual(ROLE_AGENCIES);
    expect(rules.proposalReaderRoles).toEqual(PROPOSAL_READER_ROLES);
    expect(rules.financingAgencies).toEqual(TASK_TYPES.FINANCING_REVIEW.agencies);
    // Agency staff: whoever may complete a task; every task type's roles are among them, oversight is not.
    const taskRoles = new Set(Object.values(TASK_TYPES).flatMap((t) => t.roles));
    expect(rules.agencyStaffRoles).toEqual(expect.arrayContaining([...taskRoles, 'SUPERVISOR']));
    expect(rules.agencyStaffRoles).not.toContain('AUDITOR');
    expect(rules.agencyStaffRoles).not.toContain('APPLICANT');
  });

  it('serves the financing catalogue, stack layers and sectors of the server, with the catalogue edition', () => {
    expect(rules.financingInstruments).toEqual(FINANCING_INSTRUMENTS);
    expect(rules.stackLayers).toEqual(STACK_LAYERS);
    expect(rules.applicationSectors).toEqual(APPLICATION_SECTORS);
    expect(rules.dataEditions.financingInstruments).toEqual({
      file: 'data/financing-instruments.json',
      version: null,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      entries: FINANCING_INSTRUMENTS.length,
    });
  });

  it('says who may call the routes the pages use, matching what the API enforces', async () => {
    expect(rules.access['GET /proposals']).toEqual({ kind: 'roles', roles: ['APPLICANT', ...PROPOSAL_READER_ROLES] });
    expect(rules.access['POST /proposals']).toEqual({ kind: 'roles', roles: ['APPLICANT'] });
    expect(rules.access['GET /audit']).toEqual({ kind: 'roles', roles: expect.arrayContaining(['AUDITOR']) });
    expect(rules.access['GET /tasks'].roles).toEqual(expect.arrayContaining([...rules.agencyStaffRoles, 'AUDITOR']));
    expect(rules.access['POST /tasks/:id/complete']).toEqual({ kind: 'roles', roles: rules.agencyStaffRoles });
    // The reassignment picker is for the same callers as the reassignment.
    expect(rules.access['GET /tasks/:id/eligible-assignees']).toEqual({ kind: 'roles', roles: ['SUPERVISOR'] });
    expect(rules.access['GET /tasks/:id/eligible-assignees']).toEqual(rules.access['POST /tasks/:id/reassignment']);
    expect(rules.access['GET /reference/rules']).toEqual({ kind: 'authenticated' });
    expect(Object.values(rules.access).map((p: any) => p.kind)).not.toContain('public');
    // The table is the enforcement: an applicant may not read the audit trail, the auditor may.
    expect((await stack.as('applicant.acme', 'GET', '/api/v1/audit')).status).toBe(403);
    expect((await stack.as('auditor', 'GET', '/api/v1/audit')).status).toBe(200);
  });
});
