import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { programPlanWorkflow } from '../../workflows/program/program-plan.workflow';
import type { proposalWorkflow } from '../../workflows/intake/proposal.workflow';
import { INTAKE_TASK_QUEUE, proposalWorkflowId } from '../contracts/intake';
import { PROGRAM_TASK_QUEUE, programWorkflowId, ProgramPlanInput } from '../contracts/program';
import { rescreenWorkflowId } from '../contracts/screening';
import type { rescreenListWorkflow } from '../../workflows/screening/rescreen.workflow';

export type StartResult = 'started' | 'already-started';

/**
 * Starts a business workflow at most once per id: a running or a closed one is left alone, so the
 * API, the reconcilers and retried requests can all call this safely.
 */
async function startOnce(start: () => Promise<unknown>): Promise<StartResult> {
  try {
    await start();
    return 'started';
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'already-started';
    throw error;
  }
}

const ONCE = { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } as const;

export function startProposalWorkflow(client: Client, proposalId: string): Promise<StartResult> {
  return startOnce(() =>
    client.workflow.start<typeof proposalWorkflow>('proposalWorkflow', {
      ...ONCE,
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: proposalWorkflowId(proposalId),
      args: [{ proposalId }],
    }),
  );
}

export function startProgramWorkflow(client: Client, input: ProgramPlanInput): Promise<StartResult> {
  return startOnce(() =>
    client.workflow.start<typeof programPlanWorkflow>('programPlanWorkflow', {
      ...ONCE,
      taskQueue: PROGRAM_TASK_QUEUE,
      workflowId: programWorkflowId(input.programId),
      args: [input],
    }),
  );
}

/** The re-screening batch of a list version (docs/spec.md section 2.4a): one per version, however often asked. */
export function startRescreenWorkflow(client: Client, listVersionId: string): Promise<StartResult> {
  return startOnce(() =>
    client.workflow.start<typeof rescreenListWorkflow>('rescreenListWorkflow', {
      ...ONCE,
      taskQueue: INTAKE_TASK_QUEUE,
      workflowId: rescreenWorkflowId(listVersionId),
      args: [{ listVersionId }],
    }),
  );
}
