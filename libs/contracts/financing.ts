import { defineUpdate } from '@temporalio/workflow';
import type { TaskActor } from './tasks';

/** The financing context (EDAG routing, SBA referral): its activities run on their own task queue. */
export const FINANCING_TASK_QUEUE = 'exports-desk-financing';

/** One member's size figures as the applicant supplies them (13 CFR 121.104, 121.106, 121.107). */
export interface MemberSizeData {
  name: string;
  usConcern?: boolean;
  naics?: string;
  employees?: number;
  averageAnnualReceiptsUsd?: number;
}

/** The applicant's answer to SBA's request for size information (docs/spec.md section 2.4). */
export interface SizeInformationAnswer {
  requestId: string;
  members: MemberSizeData[];
  actor: TaskActor;
}

/** Sent to `proposal:<id>`; answers once the answer is stored and the members are sized again. */
export const answerSizeInformationUpdate = defineUpdate<{ requestId: string; status: string }, [SizeInformationAnswer]>(
  'answerSizeInformation',
);

/** ApplicationFailure types of the SBA information loop's validator: no such open request (409), or a member it did not ask about (422). */
export const SIZE_INFORMATION_FAILURES = { notOpen: 'SizeInformationNotOpen', unknownMember: 'SizeInformationUnknownMember' } as const;
