import { assignmentProblems, FINANCING_AGENCIES, isAmountUsd } from '../financing/assignment';
import type { Agency, Role } from '../identity/roles';

/** docs/spec.md section 3: every human step of the program, its agencies, roles and decisions. */
export const TASK_TYPES = {
  SCREENING_ADJUDICATION: { agencies: ['COMMERCE'], roles: ['COMPLIANCE_OFFICER'], decisions: ['CLEAR', 'CONFIRM_MATCH'] },
  AGENCY_REVIEW: {
    agencies: ['COMMERCE', 'STATE', 'OSTP'],
    roles: ['REVIEWER'],
    decisions: ['CONCUR', 'CONCUR_WITH_CONDITIONS', 'NON_CONCUR'],
  },
  CONSULTATION: { agencies: ['DOD', 'DOE'], roles: ['REVIEWER'], decisions: ['CONCUR', 'CONCUR_WITH_CONDITIONS', 'NON_CONCUR'] },
  DESIGNATION_DECISION: { agencies: ['COMMERCE'], roles: ['DECIDING_OFFICIAL'], decisions: ['DESIGNATE', 'DECLINE'] },
  FINANCING_ASSIGNMENT: { agencies: ['STATE'], roles: ['EDAG_COORDINATOR'], decisions: ['ASSIGN'] },
  FINANCING_REVIEW: { agencies: FINANCING_AGENCIES, roles: ['FINANCING_OFFICER'], decisions: ['COMMIT', 'DECLINE'] },
  SBA_REFERRAL: { agencies: ['SBA'], roles: ['SBA_OFFICER'], decisions: ['ACCEPT', 'DECLINE'] },
  ADVOCACY_REFERRAL: { agencies: ['ITA'], roles: ['ADVOCACY_OFFICER'], decisions: ['ACCEPT', 'DECLINE'] },
  LICENSING_REVIEW: { agencies: ['BIS'], roles: ['LICENSING_OFFICER'], decisions: ['PRIORITIZE', 'DECLINE'] },
} as const satisfies Record<string, { agencies: readonly Agency[]; roles: readonly Role[]; decisions: readonly string[] }>;

export type TaskType = keyof typeof TASK_TYPES;
export const TASK_TYPE_NAMES = Object.keys(TASK_TYPES) as TaskType[];

/** Tasks whose agency may ask the applicant for information: reviews, and advocacy for its questionnaire (docs/spec.md section 2.3a). */
export const ASKING_TASK_TYPES: readonly TaskType[] = ['AGENCY_REVIEW', 'CONSULTATION', 'ADVOCACY_REFERRAL'];
export const TASK_STATUSES = ['OPEN', 'CLAIMED', 'COMPLETED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface TaskCompletion {
  decision: string;
  comment?: string;
  conditions?: readonly string[];
  data?: Record<string, unknown>;
}

/** Facts about the task's case that change what a valid completion needs. */
export interface CompletionContext {
  /** DESIGNATION_DECISION: some agency non-concurred, so designating needs a comment (docs/spec.md section 2.3). */
  anyNonConcurrence?: boolean;
  /** FINANCING_ASSIGNMENT: the catalogue's instrument ids (data/financing-instruments.json). */
  instrumentIds?: readonly string[];
  /** ADVOCACY_REFERRAL: information requests to the applicant answered so far on this task (docs/spec.md section 2.3a). */
  answeredInformationRequests?: number;
}

export interface CompletionProblem {
  field: string;
  message: string;
}

const blank = (text: string | undefined) => !text || !text.trim();

/**
 * Whether a completion is valid for the task type (docs/spec.md sections 2.3, 2.4, 3); the problems found,
 * empty when valid. Used by the task workflow's Update validator, so a refused completion writes no history.
 */
export function validateCompletion(type: TaskType, completion: TaskCompletion, context: CompletionContext = {}): CompletionProblem[] {
  const allowed: readonly string[] = TASK_TYPES[type].decisions;
  if (!allowed.includes(completion.decision)) {
    return [{ field: 'decision', message: `decision must be one of ${allowed.join(', ')} for a ${type} task` }];
  }
  const problems: CompletionProblem[] = [];
  const needComment = (why: string) =>
    blank(completion.comment) && problems.push({ field: 'comment', message: `comment is required ${why}` });
  switch (completion.decision) {
    case 'CONCUR_WITH_CONDITIONS':
      if (!completion.conditions?.some((c) => !blank(c)))
        problems.push({ field: 'conditions', message: 'conditions must name at least one condition when concurring with conditions' });
      break;
    case 'NON_CONCUR':
      needComment('to non-concur');
      break;
    case 'CONFIRM_MATCH':
      needComment('to confirm a screening match');
      break;
    case 'DESIGNATE':
      if (context.anyNonConcurrence) needComment('to designate over an agency non-concurrence');
      break;
    case 'DECLINE':
      needComment(type === 'DESIGNATION_DECISION' ? 'to decline designation' : 'to decline');
      break;
    case 'ASSIGN':
      problems.push(...assignmentProblems(completion.data, context.instrumentIds));
      break;
    case 'ACCEPT':
      // The ITA Advocacy Center acts on the applicant's advocacy questionnaire and anti-bribery agreement (DOMAIN.md section 3).
      if (type === 'ADVOCACY_REFERRAL' && !context.answeredInformationRequests)
        problems.push({
          field: 'decision',
          message: 'ACCEPT needs an answered information request for the advocacy questionnaire and the anti-bribery agreement',
        });
      break;
    case 'COMMIT':
      if (!isAmountUsd(completion.data?.amountUsd))
        problems.push({ field: 'data.amountUsd', message: 'data.amountUsd must be the committed amount (non-negative)' });
      break;
  }
  return problems;
}
