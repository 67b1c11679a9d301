/** The financing context (EDAG routing, SBA referral): its activities run on their own task queue. */
export const FINANCING_TASK_QUEUE = 'exports-desk-financing';
