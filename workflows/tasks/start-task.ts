import type { HumanTaskInput, TaskOutcome } from '../../libs/contracts/tasks';

/** Starts a human task as a child workflow; `taskId` when the caller needs to know it up front. */
export type StartTask = (task: Omit<HumanTaskInput, 'taskId' | 'proposalId'>, taskId?: string) => Promise<TaskOutcome>;
