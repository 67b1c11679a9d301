import { proposalWorkflowId } from '../../libs/contracts/intake';
import { taskWorkflowId } from '../../libs/contracts/tasks';
import { closeFinancing, completeTask, designate, openTasks, proposalAs } from '../support/designation';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { Stack } from '../support/stack';

const ENTRY_FIELDS = ['designatedAt', 'layers', 'members', 'proposalId', 'sectors', 'summary', 'targetMarkets', 'title'];

/** What designation brings, through the API (docs/spec.md sections 2.3a and 7): the catalogue, ITA advocacy and BIS licensing review. */
describe('designation benefits and the catalogue', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000' });
  });
  afterAll(() => stack?.stop());

  const catalogue = (query = '', user = 'applicant.globex') => stack.as(user, 'GET', `/api/v1/catalogue${query}`);

  it('lists a designated package in the catalogue, completes its advocacy referral after an answered request and its licensing review', async () => {
    // AE is in EAR Country Group D:4: with ECCN 4A090 the package carries LICENSE_REVIEW_ADVANCED_COMPUTING.
    const base = completeProposal();
    const body = {
      ...base,
      title: 'Sovereign AI cloud for the Emirates',
      targetMarkets: ['AE'],
      consortium: {
        ...base.consortium,
        members: base.consortium.members.map((m) => (m.name === 'Blue River Data LLC' ? { ...m, layers: ['DATA_PIPELINES'] } : m)),
      },
    };
    const id = (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', body)).body.id as string;
    const other = (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', completeProposal())).body.id as string;
    await stack.eventually('under review', async () => (await proposalAs(stack, 'auditor', other)).status === 'UNDER_REVIEW');
    expect((await catalogue()).body).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });

    await designate(stack, id);
    const listed = await catalogue();
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(1);
    const [entry] = listed.body.items;
    expect(Object.keys(entry).sort()).toEqual(ENTRY_FIELDS);
    expect(entry).toEqual({
      proposalId: id,
      title: 'Sovereign AI cloud for the Emirates',
      summary: base.summary,
      layers: ['HARDWARE', 'DATA_PIPELINES', 'SECURITY', 'APPLICATIONS'],
      sectors: ['HEALTHCARE'],
      targetMarkets: ['AE'],
      members: [
        { name: 'Acme Compute Inc.', country: 'US' },
        { name: 'Blue River Data LLC', country: 'US' },
        { name: 'Safeguard Cyber Corp.', country: 'US' },
      ],
      designatedAt: expect.any(String),
    });
    const ids = async (query: string) =>
      (await catalogue(query, 'ita.officer')).body.items.map((i: { proposalId: string }) => i.proposalId);
    expect(await ids('?targetMarket=ae&sector=HEALTHCARE&layer=SECURITY')).toEqual([id]);
    expect(await ids('?targetMarket=KE')).toEqual([]);
    expect(await ids('?sector=EDUCATION')).toEqual([]);
    expect(await ids('?layer=MODELS')).toEqual([]);
    for (const [query, field] of [
      ['?targetMarket=ZZ', 'targetMarket'],
      ['?sector=MINING', 'sector'],
      ['?layer=CHIPS', 'layer'],
      ['?pageSize=0', 'pageSize'],
    ]) {
      const bad = await catalogue(query);
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await stack.request('GET', '/api/v1/catalogue')).status).toBe(401);

    // ITA: accepting needs the advocacy questionnaire and anti-bribery agreement, asked for by an information request.
    const [advocacy] = await openTasks(stack, 'ita.officer', id, 'ADVOCACY_REFERRAL');
    expect(advocacy.documents.map((d: { code: string }) => d.code)).toEqual(['ADVOCACY_QUESTIONNAIRE', 'ANTI_BRIBERY_AGREEMENT']);
    expect((await completeTask(stack, 'bis.officer', advocacy.id, { decision: 'ACCEPT' })).status).toBe(403);
    const early = await completeTask(stack, 'ita.officer', advocacy.id, { decision: 'ACCEPT' });
    expect(early.status).toBe(422);
    expect(early.body.details).toEqual([expect.objectContaining({ field: 'decision' })]);
    const asked = await stack.as('ita.officer', 'POST', `/api/v1/proposals/${id}/information-requests`, {
      question: 'Please send the Advocacy Questionnaire and the anti-bribery agreement signed by the bidder of record.',
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toEqual(expect.objectContaining({ taskId: advocacy.id, agency: 'ITA' }));
    expect((await completeTask(stack, 'ita.officer', advocacy.id, { decision: 'ACCEPT' })).status).toBe(422); // not answered yet
    const answered = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/information-requests/${asked.body.id}/answer`, {
      answer: 'Questionnaire completed; agreement signed by Acme Compute Inc. as bidder of record.',
    });
    expect(answered.status).toBe(200);
    expect((await completeTask(stack, 'ita.officer', advocacy.id, { decision: 'ACCEPT' })).status).toBe(200);

    // BIS: the flagged package's priority licensing review.
    const [licensing] = await openTasks(stack, 'bis.officer', id, 'LICENSING_REVIEW');
    expect(licensing.flags.map((f: { code: string }) => f.code)).toEqual(['LICENSE_REVIEW_ADVANCED_COMPUTING']);
    expect(licensing.eccns).toEqual(['4A090']);
    expect(
      (await completeTask(stack, 'bis.officer', licensing.id, { decision: 'PRIORITIZE', comment: 'Queued for the NAC fast lane' })).status,
    ).toBe(200);

    const staff = await stack.eventually('both benefits decided', async () => {
      const p = await proposalAs(stack, 'auditor', id);
      return p.benefits.advocacy?.status === 'ACCEPTED' && p.benefits.licensing?.status === 'PRIORITIZED' && p;
    });
    expect(staff.status).toBe('FINANCING'); // EDAG and SBA have not answered
    expect(staff.benefits.licensing).toEqual(
      expect.objectContaining({ decidedBy: 'bis.officer', comment: 'Queued for the NAC fast lane' }),
    );

    await closeFinancing(stack, id);
    const [sba] = await openTasks(stack, 'sba.officer', id, 'SBA_REFERRAL');
    expect((await completeTask(stack, 'sba.officer', sba.id, { decision: 'ACCEPT' })).status).toBe(200);
    const done = await stack.eventually('COMPLETED', async () => {
      const p = await proposalAs(stack, 'applicant.acme', id);
      return p.status === 'COMPLETED' && p;
    });
    // The applicant sees each outcome and when, never the officer or the comment.
    expect(done.benefits).toEqual({
      advocacy: { status: 'ACCEPTED', decidedAt: expect.any(String) },
      licensing: { status: 'PRIORITIZED', decidedAt: expect.any(String) },
    });
    const seen = JSON.stringify(done);
    for (const hidden of ['ita.officer', 'bis.officer', 'NAC fast lane']) expect(seen).not.toContain(hidden);
    expect(done.timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['ADVOCACY_ACCEPTED', 'LICENSING_PRIORITIZED', 'STATUS_COMPLETED']),
    );
    expect(done.timeline.find((e: { action: string }) => e.action === 'STATUS_COMPLETED').detail.reason).toContain(
      'advocacy and licensing',
    );

    const audit = await stack.sql(
      `SELECT action, actor FROM audit_event WHERE subject_id = $1 AND action IN ('BENEFITS_REFERRED', 'ADVOCACY_ACCEPTED', 'LICENSING_PRIORITIZED') ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'BENEFITS_REFERRED', actor: 'system' },
      expect.objectContaining({ action: expect.stringMatching(/^(ADVOCACY_ACCEPTED|LICENSING_PRIORITIZED)$/) }),
      expect.objectContaining({ action: expect.stringMatching(/^(ADVOCACY_ACCEPTED|LICENSING_PRIORITIZED)$/) }),
    ]);
    expect(new Set(audit.slice(1).map((a) => `${a.action}:${a.actor}`))).toEqual(
      new Set(['ADVOCACY_ACCEPTED:ita.officer', 'LICENSING_PRIORITIZED:bis.officer']),
    );
    expect((await catalogue()).body.items.map((i: { proposalId: string }) => i.proposalId)).toEqual([id]);
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-designation-benefits-completed');
    await recordHistory(stack, taskWorkflowId(advocacy.id), 'task-advocacy-accepted-after-information');

    // A program that enables it lets partner governments read the catalogue without signing in.
    (stack as unknown as { env: NodeJS.ProcessEnv }).env.CATALOGUE_PUBLIC = 'true';
    await stack.restart();
    const anonymous = await stack.request('GET', '/api/v1/catalogue?targetMarket=AE');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.items.map((i: { proposalId: string }) => i.proposalId)).toEqual([id]);
  });
});
