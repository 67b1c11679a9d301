import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { proposalWorkflow } from '../../workflows/intake/proposal.workflow';
import { INTAKE_TASK_QUEUE, proposalWorkflowId } from '../contracts/intake';

/** Starts `proposal:<id>`; a workflow already started for it is left alone (idempotent). */
export async function startProposalWorkflow(client: Client, proposalId: string): Promise<'started' | 'already-started'> {
  try {
    await client.workflow.start<typeof proposalWorkflow>('proposalWorkflow', {
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: proposalWorkflowId(proposalId),
      args: [{ proposalId }],
    });
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
    throw error;
  }
}
