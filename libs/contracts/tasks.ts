import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Agency, Role } from '../domain/identity/roles';
import type { CompletionContext, TaskCompletion, TaskStatus, TaskType } from '../domain/tasks/task-types';

/** The human-task context: one child workflow per task, for every task type (docs/spec.md section 8). */
export const TASKS_TASK_QUEUE = 'exports-desk-tasks';
export const taskWorkflowId = (taskId: string): string => `task:${taskId}`;

export interface TaskActor {
  username: string;
  roles: Role[];
  agency: Agency | null;
}

export interface HumanTaskInput {
  taskId: string;
  proposalId: string;
  type: TaskType;
  agency: Agency;
  /** What the task's form shows (e.g. screening matches, financing suggestions). */
  form: Record<string, unknown>;
  context: CompletionContext;
}

export interface TaskOutcome {
  taskId: string;
  type: TaskType;
  agency: Agency;
  /** One of the type's decisions, or NO_RESPONSE when a non-blocking task lapsed. */
  decision: string;
  comment: string | null;
  conditions: string[];
  data: Record<string, unknown>;
  decidedBy: string | null;
  decidedAt: string;
}

export interface HumanTaskState {
  status: TaskStatus;
  assignee: string | null;
  escalated: boolean;
}

export interface CompleteTaskRequest extends TaskCompletion {
  actor: TaskActor;
}

/** A reviewer's question to the applicant; the task's SLA clock stops until it is answered (tolling). */
export interface InformationRequest {
  question: string;
  actor: TaskActor;
}

export interface InformationAnswer {
  requestId: string;
  answer: string;
  /** Documents of the proposal the answer cites (checked by the API); absent in histories from before documents. */
  documentIds?: string[];
  actor: TaskActor;
}

/** A supervisor hands a task to a named user of the agency (docs/spec.md sections 1 and 7); the API checks the user, the workflow the state. */
export interface TaskReassignment {
  assignee: string;
  reason: string;
  actor: TaskActor;
}

export const requestInformationUpdate = defineUpdate<{ requestId: string }, [InformationRequest]>('requestInformation');
export const answerInformationUpdate = defineUpdate<{ requestId: string }, [InformationAnswer]>('answerInformation');
export const completeTaskUpdate = defineUpdate<TaskOutcome, [CompleteTaskRequest]>('completeTask');
export const claimTaskUpdate = defineUpdate<HumanTaskState, [TaskActor]>('claimTask');
export const releaseTaskUpdate = defineUpdate<HumanTaskState, [TaskActor]>('releaseTask');
export const reassignTaskUpdate = defineUpdate<HumanTaskState, [TaskReassignment]>('reassignTask');
export const taskStateQuery = defineQuery<HumanTaskState>('taskState');

/** ApplicationFailure types the task workflow's validators raise; the API maps them to HTTP statuses. */
export const TASK_FAILURES = {
  notOpen: 'TaskNotOpen',
  claimedByAnother: 'TaskClaimedByAnother',
  invalidCompletion: 'InvalidCompletion',
} as const;
