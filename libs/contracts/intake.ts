import { defineQuery } from '@temporalio/workflow';
import type { ProposalStatus } from '../domain/intake/proposal-status';

/** The intake context's task queue: proposal workflows and their intake activities. */
export const INTAKE_TASK_QUEUE = 'exports-desk-intake';

/** Workflow id = business id (SPEC section 2). */
export const proposalWorkflowId = (proposalId: string): string => `proposal:${proposalId}`;

export interface ProposalWorkflowInput {
  proposalId: string;
}

export interface ProposalWorkflowState {
  proposalId: string;
  status: ProposalStatus;
}

export const proposalStateQuery = defineQuery<ProposalWorkflowState>('proposalState');
