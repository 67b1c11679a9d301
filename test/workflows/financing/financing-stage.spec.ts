import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { FinancingPlan } from '../../../activities/financing/financing.activities';
import { FINANCING_TASK_QUEUE } from '../../../libs/contracts/financing';
import { INTAKE_TASK_QUEUE } from '../../../libs/contracts/intake';
import { TASK_FAILURES, TASKS_TASK_QUEUE } from '../../../libs/contracts/tasks';
import { clean, WorkflowHarness } from '../../support/workflow-harness';

/**
 * The financing and SBA stages (workflows/financing, workflows/sba) as they run inside
 * proposalWorkflow after designation: EDAG assignment, one FINANCING_REVIEW per referral, the
 * decline loop back to the coordinator, and the parallel SBA referral. Activities are stubs.
 */
describe('financing stage of proposalWorkflow', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start([INTAKE_TASK_QUEUE, TASKS_TASK_QUEUE, FINANCING_TASK_QUEUE]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const plan = (overrides: Partial<FinancingPlan> = {}): FinancingPlan => ({
    suggestions: [
      { instrumentId: 'exim_loan_guarantee', agency: 'EXIM', amountUsd: 50_000_000, warnings: [] },
      { instrumentId: 'dfc_loan_guaranty', agency: 'DFC', amountUsd: 20_000_000, warnings: [] },
    ],
    instrumentIds: ['exim_loan_guarantee', 'dfc_loan_guaranty', 'ustda_feasibility_study'],
    smallMembers: 0,
    sbaMembers: [],
    ...overrides,
  });
  const assignments = [
    { instrumentId: 'exim_loan_guarantee', agency: 'EXIM', amountUsd: 50_000_000 },
    { instrumentId: 'dfc_loan_guaranty', agency: 'DFC', amountUsd: 20_000_000 },
  ];

  it('sends a declined instrument back to the coordinator, who reassigns it; SBA refers the small member in parallel', async () => {
    const sbaMembers = [{ name: 'Blue River Data LLC', status: 'SMALL' }] as unknown as FinancingPlan['sbaMembers'];
    const { proposalId, handle } = await h.startProposal({ screenings: [clean()], financing: plan({ smallMembers: 1, sbaMembers }) });
    await h.designate(proposalId);

    const sba = await h.openedTask(proposalId, 'SBA_REFERRAL', 'SBA');
    expect(sba.input.form).toEqual({ members: sbaMembers });
    const first = await h.openedTask(proposalId, 'FINANCING_ASSIGNMENT', 'STATE');
    expect(first.input.form).toEqual({ suggestions: plan().suggestions, declined: [] });
    expect(first.input.context).toEqual({ instrumentIds: plan().instrumentIds });
    // Instruments must come from the catalogue the plan names.
    const bad = await h
      .complete(first, { decision: 'ASSIGN', data: { assignments: [{ instrumentId: 'made_up', agency: 'EXIM', amountUsd: 1 }] } })
      .catch((e: unknown) => e);
    expect(((bad as WorkflowUpdateFailedError).cause as { type?: string }).type).toBe(TASK_FAILURES.invalidCompletion);
    await h.complete(first, { decision: 'ASSIGN', data: { assignments } });

    const exim = await h.openedTask(proposalId, 'FINANCING_REVIEW', 'EXIM');
    const dfc = await h.openedTask(proposalId, 'FINANCING_REVIEW', 'DFC');
    const [opened] = h.callsOf('openReferrals', (i) => i.proposalId === proposalId).map((c) => c.input);
    expect(opened.assignedBy).toBe('state.edag_coordinator');
    // Each review task's id is its referral's id (made in the workflow).
    expect(opened.referrals.map((r: { referralId: string }) => r.referralId)).toEqual([exim.taskId, dfc.taskId]);
    await h.complete(exim, { decision: 'COMMIT', data: { amountUsd: 45_000_000, terms: '12 years' } });
    await h.complete(dfc, { decision: 'DECLINE', comment: 'No low-income target country' });

    const second = await h.openedTask(proposalId, 'FINANCING_ASSIGNMENT', 'STATE', 1);
    expect(second.input.form).toEqual({
      suggestions: [{ instrumentId: 'dfc_loan_guaranty', agency: 'DFC', amountUsd: 20_000_000, warnings: [] }],
      declined: [{ instrumentId: 'dfc_loan_guaranty', agency: 'DFC', amountUsd: 20_000_000, comment: 'No low-income target country' }],
      reassignment: true,
    });
    await h.complete(second, {
      decision: 'ASSIGN',
      data: { assignments: [{ instrumentId: 'dfc_loan_guaranty', agency: 'USTDA', amountUsd: 5_000_000 }] },
    });
    const ustda = await h.openedTask(proposalId, 'FINANCING_REVIEW', 'USTDA');
    await h.complete(ustda, { decision: 'COMMIT', data: { amountUsd: 5_000_000 } });
    await h.declineAdvocacy(proposalId);
    expect(h.statuses(proposalId)).not.toContain('COMPLETED'); // SBA has not answered yet
    await h.complete(sba, { decision: 'ACCEPT' });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'UNDER_REVIEW', 'AWAITING_DETERMINATION', 'FINANCING', 'COMPLETED']);
    expect(
      h
        .callsOf('recordReferralOutcome', (i) => i.proposalId === proposalId)
        .map((c) => [c.input.referralId, c.input.decision, c.input.amountUsd]),
    ).toEqual([
      [exim.taskId, 'COMMIT', 45_000_000],
      [dfc.taskId, 'DECLINE', null],
      [ustda.taskId, 'COMMIT', 5_000_000],
    ]);
    expect(h.callsOf('recordReferralOutcome', (i) => i.referralId === exim.taskId)[0].input.terms).toBe('12 years');
    expect(h.callsOf('openReferrals', (i) => i.proposalId === proposalId)).toHaveLength(2);
    expect(h.callsOf('recordSbaOutcome', (i) => i.proposalId === proposalId).map((c) => c.input)).toEqual([
      { proposalId, taskId: sba.taskId, decision: 'ACCEPT', comment: null, decidedBy: 'sba.sba_officer' },
    ]);
  });

  it('completes when the coordinator closes a declined instrument with an empty assignment; no SBA task without small members', async () => {
    const { proposalId, handle } = await h.startProposal({ screenings: [clean()], financing: plan() });
    await h.designate(proposalId);
    await h.complete(await h.openedTask(proposalId, 'FINANCING_ASSIGNMENT'), {
      decision: 'ASSIGN',
      data: { assignments: assignments.slice(0, 1) },
    });
    await h.complete(await h.openedTask(proposalId, 'FINANCING_REVIEW', 'EXIM'), {
      decision: 'DECLINE',
      comment: 'Outside our risk appetite',
    });
    const reassignment = await h.openedTask(proposalId, 'FINANCING_ASSIGNMENT', 'STATE', 1);
    expect(reassignment.input.form.reassignment).toBe(true);
    await h.declineAdvocacy(proposalId);
    await h.complete(reassignment, { decision: 'ASSIGN', data: { assignments: [] } });

    expect(await handle.result()).toMatchObject({ status: 'COMPLETED' });
    expect(h.callsOf('openReferrals', (i) => i.proposalId === proposalId)).toHaveLength(1);
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId && i.type === 'SBA_REFERRAL')).toHaveLength(0);
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId && i.type === 'FINANCING_ASSIGNMENT')).toHaveLength(2);
  });
});
