import { designationNotice } from '../review/designation';
import type { TaskType } from './task-types';

type Notice = { subject: string; body: string };

/**
 * The task types whose outcome the applicant is told (docs/spec.md section 1: the outcome of
 * designation, never the positions behind it); every other task's completion stays internal.
 */
const APPLICANT_NOTICES: Partial<Record<TaskType, (decision: string, proposalTitle: string) => Notice>> = {
  DESIGNATION_DECISION: designationNotice,
};

export function applicantNoticeFor(type: TaskType, decision: string, proposalTitle: string): Notice | null {
  return APPLICANT_NOTICES[type]?.(decision, proposalTitle) ?? null;
}
