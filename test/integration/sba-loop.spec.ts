import { proposalWorkflowId } from '../../libs/contracts/intake';
import { closeFinancing, completeTask, designate, openTasks, proposalAs } from '../support/designation';
import { completeProposal } from '../support/fixtures';
import { recordHistory } from '../support/histories';
import { launchChromium, UiPage } from '../support/browser';
import { Stack } from '../support/stack';

const BLUE_RIVER = 'Blue River Data LLC';

/** A package whose one possibly small member gave no NAICS code, and whose other members are not small. */
function withoutNaics() {
  const base = completeProposal();
  const members = base.consortium.members.map((m) => {
    if (m.name === BLUE_RIVER)
      return { name: m.name, country: m.country, layers: m.layers, usConcern: true, averageAnnualReceiptsUsd: 12_000_000 };
    return m.name === 'Acme Compute Inc.' ? { ...m, employees: 9_000 } : { ...m, naics: '541512', averageAnnualReceiptsUsd: 900_000_000 };
  });
  return { ...base, consortium: { ...base.consortium, members } };
}

/** SBA's "needs information" loop through the API (docs/spec.md section 2.4): asked, answered, sized again, referred. */
describe('SBA information loop', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The request for size information lapses after the amendment window.
    stack = await Stack.start({ THROTTLE_WRITES_PER_MINUTE: '10000', AMENDMENT_WINDOW: '45s' });
  });
  afterAll(() => stack?.stop());

  /** Designates the package, declines advocacy and closes financing: only SBA's loop keeps it open. */
  async function designatedNeedingInformation() {
    const id = (await stack.as('applicant.acme', 'POST', '/api/v1/proposals', withoutNaics())).body.id as string;
    await designate(stack, id);
    const [advocacy] = await openTasks(stack, 'ita.officer', id, 'ADVOCACY_REFERRAL');
    expect((await completeTask(stack, 'ita.officer', advocacy.id, { decision: 'DECLINE', comment: 'No tender in view' })).status).toBe(200);
    await closeFinancing(stack, id);
    const request = await stack.eventually('the request for size information', async () => {
      const p = await proposalAs(stack, 'applicant.acme', id);
      return p.informationRequests.find((r: { kind: string }) => r.kind === 'SBA_SIZE');
    });
    return { id, request };
  }

  it('asks the applicant for the missing NAICS code; the answer sizes the member small and opens the SBA referral, accepted', async () => {
    const { id, request } = await designatedNeedingInformation();
    expect(request).toEqual(
      expect.objectContaining({
        agency: 'SBA',
        asked: { members: [{ name: BLUE_RIVER, missing: ['naics'] }] },
        answer: null,
        dueAt: expect.any(String),
      }),
    );
    expect(request.question).toContain(`${BLUE_RIVER}: primary 6-digit NAICS code`);
    const waiting = await stack.eventually('advocacy and financing decided', async () => {
      const p = await proposalAs(stack, 'auditor', id);
      const actions = p.timeline.map((e: { action: string }) => e.action);
      const financingClosed = p.timeline.some(
        (e: { action: string; detail: { type?: string } }) => e.action === 'TASK_COMPLETED' && e.detail.type === 'FINANCING_ASSIGNMENT',
      );
      return actions.includes('ADVOCACY_DECLINED') && financingClosed && p;
    });
    expect(waiting.status).toBe('FINANCING'); // the request is open: not COMPLETED
    expect(waiting.sbaReferral.status).toBe('NEEDS_INFORMATION');
    expect((await stack.as('sba.officer', 'GET', `/api/v1/tasks?proposalId=${id}&type=SBA_REFERRAL`)).body.items).toEqual([]);

    const answer = (body: object, user = 'applicant.acme') =>
      stack.as(user, 'POST', `/api/v1/proposals/${id}/information-requests/${request.id}/answer`, body);
    const noData = await answer({ answer: 'see attached' });
    expect(noData.status).toBe(400);
    expect(noData.body.details).toEqual([expect.objectContaining({ field: 'data' })]);
    const badCode = await answer({ data: { members: [{ name: BLUE_RIVER, naics: 'abc' }] } });
    expect(badCode.status).toBe(400);
    expect(badCode.body.details).toEqual([expect.objectContaining({ field: 'data.members[0].naics' })]);
    expect((await answer({ data: { members: [] } })).status).toBe(400);
    const stranger = await answer({ data: { members: [{ name: 'Someone Else Inc.', naics: '541512' }] } });
    expect(stranger.status).toBe(422);
    expect((await answer({ data: { members: [{ name: BLUE_RIVER, naics: '541512' }] } }, 'applicant.globex')).status).toBe(404);

    const answered = await answer({ data: { members: [{ name: BLUE_RIVER, naics: '541512' }] } });
    expect(answered.status).toBe(200);
    expect(answered.body).toEqual(
      expect.objectContaining({
        id: request.id,
        answerData: { members: [{ name: BLUE_RIVER, naics: '541512' }] },
        answeredBy: 'applicant.acme',
      }),
    );
    expect((await answer({ data: { members: [{ name: BLUE_RIVER, naics: '541512' }] } })).status).toBe(409); // answered once

    const sized = await proposalAs(stack, 'applicant.acme', id);
    expect(sized.sbaReferral.status).toBe('PENDING');
    expect(sized.sbaReferral.members.find((m: { name: string }) => m.name === BLUE_RIVER).status).toBe('SMALL');
    const [sba] = await openTasks(stack, 'sba.officer', id, 'SBA_REFERRAL');
    expect(sba.members.filter((m: { status: string }) => m.status === 'SMALL').map((m: { name: string }) => m.name)).toEqual([BLUE_RIVER]);
    expect((await completeTask(stack, 'sba.officer', sba.id, { decision: 'ACCEPT', comment: 'Referred to SBIC managers' })).status).toBe(
      200,
    );

    const done = await stack.eventually('COMPLETED', async () => {
      const p = await proposalAs(stack, 'applicant.acme', id);
      return p.status === 'COMPLETED' && p;
    });
    expect(done.sbaReferral.status).toBe('ACCEPTED');
    const reasonOf = (action: string) => done.timeline.find((e: { action: string }) => e.action === action).detail.reason;
    expect(reasonOf('INFORMATION_REQUESTED')).toContain('Small Business Administration needs size figures');
    expect(reasonOf('INFORMATION_ANSWERED')).toContain('sized again');
    expect(done.timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['INFORMATION_REQUESTED', 'INFORMATION_ANSWERED', 'SBA_REFERRAL_ACCEPTED', 'STATUS_COMPLETED']),
    );
    const audit = await stack.sql(
      `SELECT action, actor FROM audit_event WHERE subject_id = $1 AND action IN ('SBA_INFORMATION_REQUESTED', 'SBA_SIZE_DETERMINED') ORDER BY id`,
      [id],
    );
    expect(audit).toEqual([
      { action: 'SBA_SIZE_DETERMINED', actor: 'system' },
      { action: 'SBA_INFORMATION_REQUESTED', actor: 'system' },
      { action: 'SBA_SIZE_DETERMINED', actor: 'applicant.acme' },
    ]);
    await recordHistory(stack, proposalWorkflowId(id), 'proposal-sba-information-loop-accepted');
  });

  it('records an unanswered request as lapsed after the amendment window; the proposal then completes without an SBA referral', async () => {
    const { id, request } = await designatedNeedingInformation();
    const done = await stack.eventually(
      'COMPLETED after the lapse',
      async () => {
        const p = await proposalAs(stack, 'applicant.acme', id);
        return p.status === 'COMPLETED' && p;
      },
      120_000,
    );
    expect(done.sbaReferral).toEqual(expect.objectContaining({ status: 'NOT_APPLICABLE', reason: expect.stringContaining('lapsed') }));
    expect(done.informationRequests.find((r: { id: string }) => r.id === request.id)).toEqual(
      expect.objectContaining({ answer: null, lapsedAt: expect.any(String) }),
    );
    const lapsed = done.timeline.find((e: { action: string }) => e.action === 'SBA_INFORMATION_LAPSED');
    expect(lapsed.detail.reason).toContain('lapsed unanswered');
    // Completed only once the request had lapsed, though advocacy and financing were settled long before.
    const completed = done.timeline.find((e: { action: string }) => e.action === 'STATUS_COMPLETED');
    expect(Date.parse(completed.at)).toBeGreaterThanOrEqual(Date.parse(lapsed.at));
    expect(Date.parse(lapsed.at) - Date.parse(request.askedAt)).toBeGreaterThanOrEqual(40_000);
    expect(
      await stack.sql(`SELECT count(*)::int AS n FROM audit_event WHERE subject_id = $1 AND action = 'SBA_INFORMATION_LAPSED'`, [id]),
    ).toEqual([{ n: 1 }]);
    expect((await stack.as('auditor', 'GET', `/api/v1/tasks?proposalId=${id}&type=SBA_REFERRAL`)).body.items).toEqual([]);
    const late = await stack.as('applicant.acme', 'POST', `/api/v1/proposals/${id}/information-requests/${request.id}/answer`, {
      data: { members: [{ name: BLUE_RIVER, naics: '541512' }] },
    });
    expect(late.status).toBe(409);
  });

  it('lets the applicant answer SBA with the figures it asked for, in the browser', async () => {
    const { id, request } = await designatedNeedingInformation();
    const browser = await launchChromium();
    try {
      const ui = await UiPage.open(browser, stack.baseUrl);
      await ui.signIn('applicant.acme');
      await ui.goto(`#/proposals/${id}`);
      const item = ui.page.locator(`li[data-request-id="${request.id}"]`);
      const form = item.getByRole('form', { name: 'Answer SBA with size figures' });
      await form.getByRole('group', { name: BLUE_RIVER }).waitFor();
      await form.getByLabel(/^Primary NAICS code/).fill('abc');
      await form.getByRole('button', { name: 'Send figures' }).click();
      await item.locator('.field--invalid [data-field="data.members[0].naics"]').waitFor(); // the API's 400, at the field
      await form.getByLabel(/^Primary NAICS code/).fill('541512');
      await ui.screen('applicant-answers-sba-size-request');
      await form.getByRole('button', { name: 'Send figures' }).click();
      await ui.page.locator('main').getByText('Figures sent to SBA.').waitFor();
      expect(ui.errors).toEqual([]);
    } finally {
      await browser.close();
    }
    const sized = await stack.eventually('sized again', async () => {
      const p = await proposalAs(stack, 'applicant.acme', id);
      return p.sbaReferral.status === 'PENDING' && p;
    });
    expect(sized.sbaReferral.members.find((m: { name: string }) => m.name === BLUE_RIVER).status).toBe('SMALL');
    expect(sized.informationRequests.find((r: { id: string }) => r.id === request.id).answerData).toEqual({
      members: [{ name: BLUE_RIVER, naics: '541512' }],
    });
  }, 120_000);
});
