import { executeChild, getExternalWorkflowHandle, isCancellation, proxyActivities, uuid4 } from '@temporalio/workflow';
import type { RescreenActivityFunctions } from '../../activities/screening/rescreen.activities';
import { proposalWorkflowId, screeningMatchConfirmedSignal } from '../../libs/contracts/intake';
import type { RescreenAdjudication, RescreenWatchInput } from '../../libs/contracts/screening';
import { TASKS_TASK_QUEUE, TaskOutcome, taskWorkflowId } from '../../libs/contracts/tasks';
import { PROPOSAL_ACTIVITY } from '../activity-options';
import { humanTaskWorkflow } from '../tasks/human-task.workflow';

const rescreen = proxyActivities<RescreenActivityFunctions>(PROPOSAL_ACTIVITY);

/**
 * One proposal newly matched by a re-screening (id `rescreen:<listVersionId>:<proposalId>`,
 * docs/spec.md section 2.4a), whatever its stage, COMPLETED included. The batch has put it on hold;
 * this runs the SCREENING_ADJUDICATION task and acts on it: CLEAR lifts the hold; CONFIRM_MATCH makes
 * the proposal INELIGIBLE (its own workflow does, cancelling its open tasks, while it runs; here
 * when it has closed) and revokes a designation, telling the agencies that committed financing.
 */
export async function rescreenWatchWorkflow(input: RescreenWatchInput): Promise<TaskOutcome> {
  const taskId = uuid4();
  const outcome = await executeChild(humanTaskWorkflow, {
    taskQueue: TASKS_TASK_QUEUE,
    workflowId: taskWorkflowId(taskId),
    args: [
      {
        taskId,
        proposalId: input.proposalId,
        type: 'SCREENING_ADJUDICATION',
        agency: 'COMMERCE',
        form: { matches: input.matches, listVersionId: input.listVersionId },
        context: {},
      },
    ],
  });
  const adjudication: RescreenAdjudication = {
    listVersionId: input.listVersionId,
    proposalId: input.proposalId,
    taskId,
    decision: outcome.decision,
    decidedBy: outcome.decidedBy,
    comment: outcome.comment,
  };
  await rescreen.recordRescreenAdjudication(adjudication);
  if (outcome.decision !== 'CONFIRM_MATCH') return outcome;
  try {
    await getExternalWorkflowHandle(proposalWorkflowId(input.proposalId)).signal(screeningMatchConfirmedSignal, {
      listVersionId: input.listVersionId,
      decidedBy: outcome.decidedBy,
      comment: outcome.comment,
    });
  } catch (error) {
    if (isCancellation(error)) throw error;
    // No running proposal workflow to tell: the package had COMPLETED.
    await rescreen.closeCompletedAsIneligible(adjudication);
  }
  await rescreen.revokeDesignation(adjudication);
  return outcome;
}
