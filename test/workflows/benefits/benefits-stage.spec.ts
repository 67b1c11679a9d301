import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { FinancingPlan } from '../../../activities/financing/financing.activities';
import { FINANCING_TASK_QUEUE } from '../../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE } from '../../../libs/contracts/intake';
import { answerInformationUpdate, requestInformationUpdate, TASK_FAILURES, TASKS_TASK_QUEUE } from '../../../libs/contracts/tasks';
import { actor, clean, WorkflowHarness } from '../../support/workflow-harness';
import { patchMarkers, saveHistory } from '../../support/workflow-histories';

/**
 * What designation brings (workflows/benefits, docs/spec.md section 2.3a) as it runs inside
 * proposalWorkflow beside financing: the ITA advocacy referral, accepted only after the applicant
 * answered an information request, and BIS's licensing review for a flagged package. Stub activities.
 */
describe('designation benefits stage of proposalWorkflow', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start([INTAKE_TASK_QUEUE, TASKS_TASK_QUEUE, FINANCING_TASK_QUEUE]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const noFinancing: FinancingPlan = { suggestions: [], instrumentIds: ['exim_loan_guarantee'], smallMembers: 0, sbaMembers: [] };
  const refusalType = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => ((e as WorkflowUpdateFailedError).cause as { type?: string }).type,
    );
  const closeFinancing = async (proposalId: string) =>
    h.complete(await h.openedTask(proposalId, 'FINANCING_ASSIGNMENT', 'STATE'), { decision: 'ASSIGN', data: { assignments: [] } });

  it('opens only the advocacy referral without a license flag, and accepts it only after the applicant answered', async () => {
    const { proposalId, handle } = await h.startProposal({ screenings: [clean()], financing: noFinancing });
    await h.designate(proposalId);

    const advocacy = await h.openedTask(proposalId, 'ADVOCACY_REFERRAL', 'ITA');
    const [opened] = h.callsOf('openBenefitReferrals', (i) => i.proposalId === proposalId);
    expect(opened.input.advocacyTaskId).toBe(advocacy.taskId);
    expect(await refusalType(h.complete(advocacy, { decision: 'ACCEPT' }))).toBe(TASK_FAILURES.invalidCompletion);

    const officer = actor('ADVOCACY_OFFICER', 'ITA');
    const { requestId } = await advocacy.handle.executeUpdate(requestInformationUpdate, {
      args: [{ question: 'Please send the Advocacy Questionnaire and the signed anti-bribery agreement', actor: officer }],
    });
    // Asked but not yet answered: still refused.
    expect(await refusalType(h.complete(advocacy, { decision: 'ACCEPT' }))).toBe(TASK_FAILURES.invalidCompletion);
    await advocacy.handle.executeUpdate(answerInformationUpdate, {
      args: [{ requestId, answer: 'Both attached', actor: actor('APPLICANT', null, 'applicant.acme') }],
    });
    await closeFinancing(proposalId);
    await h.waitForCall('openTask', (i) => i.proposalId === proposalId && i.type === 'FINANCING_ASSIGNMENT');
    expect(h.statuses(proposalId)).not.toContain('COMPLETED'); // advocacy has no outcome yet
    await h.complete(advocacy, { decision: 'ACCEPT' });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId && i.type === 'LICENSING_REVIEW')).toHaveLength(0);
    expect(h.callsOf('recordBenefitOutcome', (i) => i.proposalId === proposalId).map((c) => c.input)).toEqual([
      {
        proposalId,
        benefit: 'advocacy',
        taskId: advocacy.taskId,
        decision: 'ACCEPT',
        comment: null,
        decidedBy: 'ita.advocacy_officer',
        decidedAt: expect.any(String),
      },
    ]);
    expect(h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'COMPLETED')[0].input.reason).toBe(
      'Every financing, SBA, advocacy and licensing referral has an outcome',
    );
    expect(patchMarkers(await handle.fetchHistory())).toContain('designation-benefits');
    await saveHistory(handle, 'proposal-benefits-advocacy-accepted');
  });

  it('refers a flagged package to BIS as well; a declined advocacy needs only its comment; completes when both have outcomes', async () => {
    const flag = { code: 'LICENSE_REVIEW_ADVANCED_COMPUTING', message: '4A090 to AE (D:4)' };
    const { proposalId, handle } = await h.startProposal({ screenings: [clean()], financing: noFinancing, licenseReviewFlags: [flag] });
    await h.designate(proposalId);

    const licensing = await h.openedTask(proposalId, 'LICENSING_REVIEW', 'BIS');
    expect(licensing.input.form).toEqual({ flags: [flag] });
    const advocacy = await h.openedTask(proposalId, 'ADVOCACY_REFERRAL', 'ITA');
    expect(await refusalType(h.complete(advocacy, { decision: 'DECLINE' }))).toBe(TASK_FAILURES.invalidCompletion);
    await h.complete(advocacy, { decision: 'DECLINE', comment: 'No foreign government procurement in view' });
    await closeFinancing(proposalId);
    await h.waitForCall('recordBenefitOutcome', (i) => i.proposalId === proposalId && i.benefit === 'advocacy');
    expect(h.statuses(proposalId)).not.toContain('COMPLETED'); // BIS has not answered
    await h.complete(licensing, { decision: 'PRIORITIZE' });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(
      h.callsOf('recordBenefitOutcome', (i) => i.proposalId === proposalId).map((c) => [c.input.benefit, c.input.decision, c.input.taskId]),
    ).toEqual([
      ['advocacy', 'DECLINE', advocacy.taskId],
      ['licensing', 'PRIORITIZE', licensing.taskId],
    ]);
    await saveHistory(handle, 'proposal-benefits-licensing-prioritized');
  });
});
