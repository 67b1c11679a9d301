import { proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { IntakeActivityFunctions } from '../../activities/intake/intake.activities';
import { ProposalWorkflowInput, ProposalWorkflowState, proposalStateQuery } from '../../libs/contracts/intake';
import { STAGE_ATTRIBUTE } from '../../libs/contracts/search-attributes';
import type { ProposalStatus } from '../../libs/domain/intake/proposal-status';

const { recordStatus } = proxyActivities<IntakeActivityFunctions>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** One workflow per proposal (id `proposal:<id>`): carries it through the stages of SPEC section 2. */
export async function proposalWorkflow(input: ProposalWorkflowInput): Promise<ProposalWorkflowState> {
  const state: ProposalWorkflowState = { proposalId: input.proposalId, status: 'SUBMITTED' };
  let step = 0;
  setHandler(proposalStateQuery, () => state);

  async function moveTo(status: ProposalStatus, reason?: string): Promise<void> {
    const from = state.status;
    state.status = status;
    step += 1;
    upsertSearchAttributes([{ key: STAGE_ATTRIBUTE, value: status }]);
    await recordStatus({
      proposalId: input.proposalId,
      from,
      status,
      eventKey: `wf:${workflowInfo().runId}:${step}`,
      at: new Date().toISOString(),
      reason,
    });
  }

  await moveTo('SCREENING', 'Received; completeness and eligibility screening started');
  return state;
}
