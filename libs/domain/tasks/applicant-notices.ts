import { ApplicantNotice, applicantNotice } from '../intake/applicant-notifications';
import type { TaskType } from './task-types';

/**
 * The task types whose outcome the applicant is told (docs/spec.md section 1: the outcome of
 * designation, never the positions behind it); every other task's completion stays internal, or is
 * told where its outcome is recorded (financing and SBA referrals).
 */
export function applicantNoticeFor(type: TaskType, decision: string, proposalTitle: string): ApplicantNotice | null {
  return type === 'DESIGNATION_DECISION' ? applicantNotice(proposalTitle, { kind: 'DESIGNATION', decision }) : null;
}
