import { defineUpdate } from '@temporalio/workflow';
import type { TaskActor } from './tasks';

/** The program context: one long-lived workflow per establishment plan. */
export const PROGRAM_TASK_QUEUE = 'exports-desk-program';
export const programWorkflowId = (programId: string): string => `program:${programId}`;

export interface ProgramPlanInput {
  programId: string;
  /** Reminder this many calendar days before a milestone's due date. */
  reminderDaysBefore: number;
  /** Continue as new once the history has more events than this (default 2,000; tests set it low). */
  historyEventsBeforeContinueAsNew?: number;
}

export interface PlanMilestone {
  id: string;
  key: string;
  title: string;
  dueDate: string;
  dependsOn: string[];
  done: boolean;
  reminded: boolean;
  overdue: boolean;
}

/** What shows a milestone done (docs/spec.md section 7); documentIds cite documents attached through the API. */
export interface MilestoneEvidence {
  text: string;
  link?: string | null;
  /** Absent in completions recorded before documents existed. */
  documentIds?: string[];
}

export interface CompleteMilestoneRequest {
  milestoneId: string;
  evidence: MilestoneEvidence;
  actor: TaskActor;
}

export interface RebaselineMilestoneRequest {
  milestoneId: string;
  dueDay: number;
  reason: string;
  actor: TaskActor;
}

export const completeMilestoneUpdate = defineUpdate<void, [CompleteMilestoneRequest]>('completeMilestone');
export const rebaselineMilestoneUpdate = defineUpdate<void, [RebaselineMilestoneRequest]>('rebaselineMilestone');

export const PROGRAM_FAILURES = { wrongState: 'MilestoneWrongState', dependencies: 'MilestoneDependencies' } as const;
