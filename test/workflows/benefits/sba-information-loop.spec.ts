import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { FinancingPlan } from '../../../activities/financing/financing.activities';
import type { SbaSizing } from '../../../activities/sba/sba.activities';
import { answerSizeInformationUpdate, FINANCING_TASK_QUEUE, SIZE_INFORMATION_FAILURES } from '../../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE } from '../../../libs/contracts/intake';
import { TASKS_TASK_QUEUE } from '../../../libs/contracts/tasks';
import { actor, clean, WorkflowHarness } from '../../support/workflow-harness';
import { patchMarkers, saveHistory } from '../../support/workflow-histories';

/**
 * SBA's "needs information" loop (workflows/sba/size-information.ts, docs/spec.md section 2.4): a
 * member without size data makes a request to the applicant; the answer, through the proposal
 * workflow's answerSizeInformation Update, sizes the members again and refers a small one to SBA;
 * an unanswered request lapses. The proposal does not complete while a request is open.
 */
describe('SBA information loop of proposalWorkflow', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start([INTAKE_TASK_QUEUE, TASKS_TASK_QUEUE, FINANCING_TASK_QUEUE]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const member = 'Blue River Data LLC';
  const needsNaics = { name: member, status: 'NEEDS_INFORMATION', missing: ['naics'], reason: 'NAICS missing' };
  const plan = { suggestions: [], instrumentIds: [], smallMembers: 0, sbaMembers: [needsNaics] } as unknown as FinancingPlan;
  const small = {
    status: 'PENDING',
    smallMembers: 1,
    sbaMembers: [{ name: member, status: 'SMALL', missing: [], reason: 'small' }],
  } as unknown as SbaSizing;
  const applicant = actor('APPLICANT', null, 'applicant.acme');
  const refusalType = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => ((e as WorkflowUpdateFailedError).cause as { type?: string }).type,
    );
  /** Advocacy declined and no instrument assigned: only the SBA loop keeps the proposal open. */
  const settleTheRest = async (proposalId: string) => {
    await h.declineAdvocacy(proposalId);
    await h.complete(await h.openedTask(proposalId, 'FINANCING_ASSIGNMENT', 'STATE'), { decision: 'ASSIGN', data: { assignments: [] } });
    await h.waitForCall('recordBenefitOutcome', (i) => i.proposalId === proposalId);
  };

  it('asks the applicant for the missing NAICS code; the answer makes the member small and opens the SBA referral', async () => {
    const { proposalId, handle } = await h.startProposal({
      screenings: [clean()],
      financing: plan,
      sizeInformation: { members: [{ name: member, missing: ['naics'] }], sized: [small] },
    });
    await h.designate(proposalId);
    const [asked] = await h.waitForCall('requestSizeInformation', (i) => i.proposalId === proposalId);
    const { requestId } = asked.input;
    await settleTheRest(proposalId);
    expect(h.statuses(proposalId)).not.toContain('COMPLETED'); // the request is open

    const answer = (requestIdGiven: string, name = member) =>
      handle.executeUpdate(answerSizeInformationUpdate, {
        args: [{ requestId: requestIdGiven, members: [{ name, naics: '541512' }], actor: applicant }],
      });
    expect(await refusalType(answer('00000000-0000-4000-8000-000000000000'))).toBe(SIZE_INFORMATION_FAILURES.notOpen);
    expect(await refusalType(answer(requestId, 'Someone Else Inc.'))).toBe(SIZE_INFORMATION_FAILURES.unknownMember);
    expect(await answer(requestId)).toEqual({ requestId, status: 'PENDING' });
    expect(await refusalType(answer(requestId))).toBe(SIZE_INFORMATION_FAILURES.notOpen); // answered once
    expect(h.callsOf('recordSizeInformation', (i) => i.proposalId === proposalId).map((c) => c.input)).toEqual([
      { proposalId, requestId, members: [{ name: member, naics: '541512' }], actor: applicant },
    ]);

    const sba = await h.openedTask(proposalId, 'SBA_REFERRAL', 'SBA');
    expect(sba.input.form).toEqual({ members: small.sbaMembers });
    await h.complete(sba, { decision: 'ACCEPT' });
    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(h.callsOf('recordSbaOutcome', (i) => i.proposalId === proposalId).map((c) => c.input.decision)).toEqual(['ACCEPT']);
    expect(h.callsOf('lapseSizeInformation', (i) => i.proposalId === proposalId)).toHaveLength(0);
    expect(patchMarkers(await handle.fetchHistory())).toEqual(expect.arrayContaining(['designation-benefits', 'sba-information-loop']));
    await saveHistory(handle, 'proposal-sba-information-answered');
  });

  it('asks again while a member still needs information; an unanswered request lapses and the proposal completes without SBA', async () => {
    const stillMissing = {
      status: 'NEEDS_INFORMATION',
      smallMembers: 0,
      sbaMembers: [{ ...needsNaics, missing: ['employees'] }],
    } as SbaSizing;
    const { proposalId, handle } = await h.startProposal({
      screenings: [clean()],
      financing: plan,
      sizeInformation: { members: [{ name: member, missing: ['naics'] }], openForMs: 3_000, sized: [stillMissing] },
    });
    await h.designate(proposalId);
    await settleTheRest(proposalId);
    const [first] = await h.waitForCall('requestSizeInformation', (i) => i.proposalId === proposalId);
    await handle.executeUpdate(answerSizeInformationUpdate, {
      args: [{ requestId: first.input.requestId, members: [{ name: member, naics: '541512' }], actor: applicant }],
    });
    const [, second] = await h.waitForCall('requestSizeInformation', (i) => i.proposalId === proposalId, 2);
    expect(second.input.requestId).not.toBe(first.input.requestId);

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(h.callsOf('lapseSizeInformation', (i) => i.proposalId === proposalId).map((c) => c.input)).toEqual([
      { proposalId, requestId: second.input.requestId },
    ]);
    const [lapsed] = h.callsOf('lapseSizeInformation', (i) => i.proposalId === proposalId);
    const [completed] = h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'COMPLETED');
    expect(lapsed.at).toBeLessThanOrEqual(completed.at);
    expect(lapsed.at - second.at).toBeGreaterThanOrEqual(2_500);
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId && i.type === 'SBA_REFERRAL')).toHaveLength(0);
    await saveHistory(handle, 'proposal-sba-information-lapsed');
  });
});
