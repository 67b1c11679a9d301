import { WorkflowUpdateFailedError } from '@temporalio/client';
import { FINANCING_TASK_QUEUE } from '../../../libs/contracts/financing';
import {
  amendProposalUpdate,
  INTAKE_TASK_QUEUE,
  PROPOSAL_FAILURES,
  proposalStateQuery,
  withdrawProposalUpdate,
} from '../../../libs/contracts/intake';
import { PENDING_AGENCIES_ATTRIBUTE, STAGE_ATTRIBUTE } from '../../../libs/contracts/search-attributes';
import { TASK_FAILURES, TASKS_TASK_QUEUE } from '../../../libs/contracts/tasks';
import { patchMarkers, saveHistory } from '../../support/workflow-histories';
import { actor, clean, eventually, WorkflowHarness } from '../../support/workflow-harness';

/**
 * proposalWorkflow with its human-task children on real Workers (intake, tasks and financing
 * queues) and stub activities: screening outcomes, the amendment loop, adjudication, reviews and
 * withdrawal. Financing is in test/workflows/financing.
 */
describe('proposalWorkflow', () => {
  let h: WorkflowHarness;
  beforeAll(async () => {
    h = await WorkflowHarness.start([INTAKE_TASK_QUEUE, TASKS_TASK_QUEUE, FINANCING_TASK_QUEUE]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  const applicant = actor('APPLICANT', null, 'applicant.acme');
  const deficient = (amendInMs: number) =>
    clean({ deficiencies: ['MISSING_SECURITY_LAYER'], amendBy: new Date(Date.now() + amendInMs).toISOString() });

  async function refusalType(promise: Promise<unknown>): Promise<string | undefined> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((error as WorkflowUpdateFailedError).cause as { type?: string }).type;
  }

  it('withdraws a deficient proposal when the amendment window lapses', async () => {
    const { proposalId, handle } = await h.startProposal({ screenings: [deficient(1_500)] });
    await h.waitForStatus(proposalId, 'RETURNED_FOR_INFORMATION');
    expect(await handle.query(proposalStateQuery)).toEqual({ proposalId, status: 'RETURNED_FOR_INFORMATION', version: 1 });
    expect(await handle.result()).toEqual({ proposalId, status: 'WITHDRAWN', version: 1 });
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'RETURNED_FOR_INFORMATION', 'WITHDRAWN']);
    const [returned, withdrawn] = h.callsOf('recordStatus', (i) => i.proposalId === proposalId).slice(1);
    expect(returned.input.reason).toContain('MISSING_SECURITY_LAYER');
    // Withdrawn when the window the screening gave closed, not before.
    const { amendBy } = h.callsOf('screenProposal', (i) => i.proposalId === proposalId)[0].result as { amendBy: string };
    expect(withdrawn.at).toBeGreaterThanOrEqual(Date.parse(amendBy));
    expect(returned.input.reason).toContain(`amend by ${amendBy}`);
    expect(withdrawn.input).toMatchObject({ from: 'RETURNED_FOR_INFORMATION', actor: 'system', reason: expect.stringContaining('lapsed') });
    expect(h.callsOf('storeAmendment', (i) => i.proposalId === proposalId)).toHaveLength(0);
  });

  it('screens an amended proposal again (version 2) and opens the reviews when it is clean', async () => {
    const { proposalId, handle } = await h.startProposal({ screenings: [deficient(3_600_000), clean()] });
    await h.waitForStatus(proposalId, 'RETURNED_FOR_INFORMATION');
    const amended = await handle.executeUpdate(amendProposalUpdate, {
      args: [{ sections: { stack: { security: { description: 'SOC 2' } } }, actor: applicant }],
    });
    expect(amended).toMatchObject({ version: 2 });
    await h.waitForStatus(proposalId, 'UNDER_REVIEW');
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'RETURNED_FOR_INFORMATION', 'SCREENING', 'UNDER_REVIEW']);
    expect(h.callsOf('screenProposal', (i) => i.proposalId === proposalId).map((c) => c.input.version)).toEqual([1, 2]);
    expect(h.callsOf('storeAmendment', (i) => i.proposalId === proposalId).map((c) => c.input)).toEqual([
      { proposalId, version: 2, sections: { stack: { security: { description: 'SOC 2' } } }, actor: applicant },
    ]);
    // Only a proposal returned for information can be amended.
    expect(await refusalType(handle.executeUpdate(amendProposalUpdate, { args: [{ sections: {}, actor: applicant }] }))).toBe(
      PROPOSAL_FAILURES.wrongState,
    );
    // Each status change carries its own workflow-made event key.
    const keys = h.callsOf('recordStatus', (i) => i.proposalId === proposalId).map((c) => c.input.eventKey);
    expect(new Set(keys).size).toBe(4);
    await h.reviewTasks(proposalId);
    await handle.terminate('test done');
  });

  it('screens again only once the amendment is stored, even when the window closes meanwhile', async () => {
    let release!: () => void;
    const amendmentGate = new Promise<void>((r) => (release = r));
    const { proposalId, handle } = await h.startProposal({ screenings: [deficient(2_500), clean()], amendmentGate });
    await h.waitForStatus(proposalId, 'RETURNED_FOR_INFORMATION');
    const amending = handle.executeUpdate(amendProposalUpdate, { args: [{ sections: { title: 'Amended' }, actor: applicant }] });
    await new Promise((r) => setTimeout(r, 3_000)); // the amendment window closes while the amendment is stored
    // No second screening of a submission that is not stored yet, and no second amendment meanwhile.
    expect(h.callsOf('screenProposal', (i) => i.proposalId === proposalId)).toHaveLength(1);
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'RETURNED_FOR_INFORMATION']);
    expect(await refusalType(handle.executeUpdate(amendProposalUpdate, { args: [{ sections: {}, actor: applicant }] }))).toBe(
      PROPOSAL_FAILURES.wrongState,
    );
    release();
    expect(await amending).toMatchObject({ version: 2 });
    await h.waitForStatus(proposalId, 'UNDER_REVIEW');
    const [stored] = h.callsOf('storeAmendment', (i) => i.proposalId === proposalId);
    const [, rescreened] = h.callsOf('screenProposal', (i) => i.proposalId === proposalId);
    expect(rescreened.input.version).toBe(2);
    expect(rescreened.at).toBeGreaterThanOrEqual(stored.at);
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'RETURNED_FOR_INFORMATION', 'SCREENING', 'UNDER_REVIEW']);
    expect(patchMarkers(await handle.fetchHistory())).toEqual(['amendment-stored-before-rescreening']);
    await h.reviewTasks(proposalId);
    await handle.executeUpdate(withdrawProposalUpdate, { args: [{ reason: 'Test over', actor: applicant }] });
    expect(await handle.result()).toMatchObject({ status: 'WITHDRAWN', version: 2 });
    await saveHistory(handle, 'proposal-amendment-stored-before-rescreening');
  });

  it('ends INELIGIBLE without reviews when eligibility fails', async () => {
    const { proposalId, handle } = await h.startProposal({
      screenings: [clean({ eligible: false, ineligibilityReasons: ['COUNTRY_OF_CONCERN'] })],
    });
    expect(await handle.result()).toMatchObject({ status: 'INELIGIBLE' });
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'INELIGIBLE']);
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId)).toHaveLength(0);
  });

  it('continues to review when the adjudicator clears a possible list match', async () => {
    const matches = [{ party: 'member Acme Compute Inc.', listed: 'ACME COMPUTE', score: 0.93 }];
    const { proposalId, handle } = await h.startProposal({ screenings: [clean({ possibleMatches: 1, matches })] });
    const adjudication = await h.openedTask(proposalId, 'SCREENING_ADJUDICATION', 'COMMERCE');
    expect(adjudication.input.form).toEqual({ matches });
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'ADJUDICATION']);
    await h.complete(adjudication, { decision: 'CLEAR', comment: 'Different entity' });
    await h.waitForStatus(proposalId, 'UNDER_REVIEW');
    expect(h.callsOf('recordAdjudication', (i) => i.proposalId === proposalId).map((c) => c.input)).toEqual([
      { proposalId, decision: 'CLEAR', decidedBy: 'commerce.compliance_officer', comment: 'Different entity' },
    ]);
    const reviews = await h.reviewTasks(proposalId);
    expect(reviews.map((t) => `${t.input.type}:${t.input.agency}`)).toEqual([
      'AGENCY_REVIEW:COMMERCE',
      'AGENCY_REVIEW:STATE',
      'AGENCY_REVIEW:OSTP',
      'CONSULTATION:DOD',
      'CONSULTATION:DOE',
    ]);
    expect((await handle.describe()).typedSearchAttributes.get(STAGE_ATTRIBUTE)).toBe('UNDER_REVIEW');
    await handle.terminate('test done');
  });

  it('ends INELIGIBLE when the adjudicator confirms the match (with a comment)', async () => {
    const { proposalId, handle } = await h.startProposal({ screenings: [clean({ possibleMatches: 2, matches: [{}, {}] })] });
    const adjudication = await h.openedTask(proposalId, 'SCREENING_ADJUDICATION');
    expect(await refusalType(h.complete(adjudication, { decision: 'CONFIRM_MATCH' }))).toBe(TASK_FAILURES.invalidCompletion);
    await h.complete(adjudication, { decision: 'CONFIRM_MATCH', comment: 'Listed parent company' });
    expect(await handle.result()).toMatchObject({ status: 'INELIGIBLE' });
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'ADJUDICATION', 'INELIGIBLE']);
    const ineligible = h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'INELIGIBLE')[0].input;
    expect(ineligible.reason).toContain('Listed parent company');
    expect(h.callsOf('recordAdjudication', (i) => i.proposalId === proposalId)[0].input.decision).toBe('CONFIRM_MATCH');
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId).map((c) => c.input.type)).toEqual(['SCREENING_ADJUDICATION']);
  });

  it('cancels the open review tasks when the applicant withdraws mid-review', async () => {
    const { proposalId, handle } = await h.startProposal({ screenings: [clean()] });
    const [commerce, ...others] = await h.reviewTasks(proposalId);
    await h.complete(commerce, { decision: 'CONCUR' });
    // The ExportsPendingAgencies search attribute lists who is still outstanding.
    const pending = async () => (await handle.describe()).typedSearchAttributes.get(PENDING_AGENCIES_ATTRIBUTE);
    await eventually('COMMERCE off the pending agencies', async () => (await pending())?.length === 4).catch(() => undefined);
    expect(await pending()).toEqual(['STATE', 'OSTP', 'DOD', 'DOE']);

    const withdrawn = await handle.executeUpdate(withdrawProposalUpdate, { args: [{ reason: 'Consortium dissolved', actor: applicant }] });
    expect(withdrawn.proposalId).toBe(proposalId);
    expect(await handle.result()).toMatchObject({ status: 'WITHDRAWN' });
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'UNDER_REVIEW', 'WITHDRAWN']);
    expect(h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'WITHDRAWN')[0].input).toMatchObject({
      from: 'UNDER_REVIEW',
      actor: 'applicant.acme',
      reason: expect.stringContaining('Consortium dissolved'),
    });
    for (const task of others) {
      expect(h.slaEvents(task.taskId)).toEqual(['CANCELLED']);
      expect((await task.handle.describe()).status.name).toBe('CANCELLED');
    }
    expect(h.slaEvents(commerce.taskId)).toEqual([]);
    expect(h.callsOf('openTask', (i) => i.proposalId === proposalId && i.type === 'DESIGNATION_DECISION')).toHaveLength(0);
  });

  it('shows every position to the deciding official, a lapsed consultation as NO_RESPONSE, and ends NOT_SELECTED on a decline', async () => {
    const { proposalId, handle } = await h.startProposal({
      screenings: [clean()],
      clock: (input) => (input.agency === 'DOD' ? { dueInMs: 1_000 } : undefined),
    });
    const reviews = await h.reviewTasks(proposalId);
    for (const task of reviews.filter((t) => t.input.agency !== 'DOD')) {
      await h.complete(
        task,
        task.input.agency === 'STATE' ? { decision: 'NON_CONCUR', comment: 'Diversion risk' } : { decision: 'CONCUR' },
      );
    }
    const decision = await h.openedTask(proposalId, 'DESIGNATION_DECISION', 'COMMERCE');
    expect(decision.input.context).toEqual({ anyNonConcurrence: true });
    const positions = decision.input.form.positions as { agency: string; kind: string; position: string }[];
    expect(positions.map(({ agency, kind, position }) => ({ agency, kind, position }))).toEqual([
      { agency: 'COMMERCE', kind: 'REVIEW', position: 'CONCUR' },
      { agency: 'STATE', kind: 'REVIEW', position: 'NON_CONCUR' },
      { agency: 'OSTP', kind: 'REVIEW', position: 'CONCUR' },
      { agency: 'DOD', kind: 'CONSULTATION', position: 'NO_RESPONSE' },
      { agency: 'DOE', kind: 'CONSULTATION', position: 'CONCUR' },
    ]);
    expect(h.slaEvents(reviews[3].taskId)).toEqual(['REMINDER', 'LAPSED']);
    expect(h.statuses(proposalId)).toEqual(['SCREENING', 'UNDER_REVIEW', 'AWAITING_DETERMINATION']);
    expect(
      h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'AWAITING_DETERMINATION')[0].input.reason,
    ).toContain('non-concurrence: STATE');
    // Designating over a non-concurrence needs a comment; so does declining.
    expect(await refusalType(h.complete(decision, { decision: 'DESIGNATE' }))).toBe(TASK_FAILURES.invalidCompletion);
    expect(await refusalType(h.complete(decision, { decision: 'DECLINE' }))).toBe(TASK_FAILURES.invalidCompletion);
    await h.complete(decision, { decision: 'DECLINE', comment: 'State non-concurrence stands' });
    expect(await handle.result()).toMatchObject({ status: 'NOT_SELECTED' });
    expect(h.callsOf('recordStatus', (i) => i.proposalId === proposalId && i.status === 'NOT_SELECTED')[0].input.actor).toBe(
      'commerce.deciding_official',
    );
  });
});
