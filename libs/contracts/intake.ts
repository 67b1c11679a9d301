import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ProposalStatus } from '../domain/intake/proposal-status';
import type { TaskActor } from './tasks';

/** The intake context's task queue: proposal workflows and their intake activities. */
export const INTAKE_TASK_QUEUE = 'exports-desk-intake';

/** Workflow id = business id (docs/spec.md section 2). */
export const proposalWorkflowId = (proposalId: string): string => `proposal:${proposalId}`;

export interface ProposalWorkflowInput {
  proposalId: string;
}

export interface ProposalWorkflowState {
  proposalId: string;
  status: ProposalStatus;
  /** Submission version under consideration: 1 as filed, +1 per amendment. */
  version: number;
}

export interface AmendProposalRequest {
  /** The sections given replace the stored ones (docs/spec.md section 7). */
  sections: Record<string, unknown>;
  actor: TaskActor;
}

export interface WithdrawProposalRequest {
  reason: string;
  actor: TaskActor;
}

export const proposalStateQuery = defineQuery<ProposalWorkflowState>('proposalState');
export const amendProposalUpdate = defineUpdate<ProposalWorkflowState, [AmendProposalRequest]>('amendProposal');
export const withdrawProposalUpdate = defineUpdate<ProposalWorkflowState, [WithdrawProposalRequest]>('withdrawProposal');

/** A re-screening's possible match was confirmed (docs/spec.md section 2.4a): the proposal becomes INELIGIBLE. */
export interface ScreeningMatchConfirmed {
  listVersionId: string;
  decidedBy: string | null;
  comment: string | null;
}

/** Sent by the re-screening watch workflow; a Signal, since one workflow cannot send another an Update. */
export const screeningMatchConfirmedSignal = defineSignal<[ScreeningMatchConfirmed]>('screeningMatchConfirmed');

/** ApplicationFailure types of the proposal workflow's validators; the API answers 409. */
export const PROPOSAL_FAILURES = { wrongState: 'ProposalWrongState' } as const;
