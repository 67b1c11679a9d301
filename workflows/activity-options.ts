import type { ActivityOptions, RetryPolicy } from '@temporalio/workflow';

/**
 * The activity option presets every workflow's proxyActivities uses (one place to tune them).
 * Options are not part of the replayed history's checks, so changing a value here is replay-safe;
 * it still changes how running workflows retry, so change them on purpose.
 */

/**
 * Failure types no retry cures (activities/failures.ts ACTIVITY_FAILURES, and libs/db's missing-row
 * error should one escape unwrapped): they fail the activity at once. A database that is down stays retried.
 */
export const PERMANENT_FAILURE_TYPES = ['NotFound', 'InvalidActivityInput', 'RowNotFoundError'];

/** Projection writes (idempotent, keyed by business ids): retried quickly, then at most once a minute. */
export const PROJECTION_RETRY: RetryPolicy = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  nonRetryableErrorTypes: PERMANENT_FAILURE_TYPES,
};

/** Short projection writes of one task or milestone. */
export const QUICK_ACTIVITY: ActivityOptions = { startToCloseTimeout: '30 seconds', retry: PROJECTION_RETRY };

/** Projection writes that read or screen a whole proposal (screening, financing plans). */
export const PROPOSAL_ACTIVITY: ActivityOptions = { startToCloseTimeout: '1 minute', retry: PROJECTION_RETRY };

/**
 * Delivery of a task to an agency's own system (webhook): that system may be down for a while,
 * so delivery backs off further and keeps trying while the task's SLA clock runs.
 */
export const TASK_DELIVERY: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '10 minutes',
    nonRetryableErrorTypes: PERMANENT_FAILURE_TYPES,
  },
};

/** A preset on another context's task queue (financing and SBA activities run on their own queue). */
export const onQueue = (taskQueue: string, options: ActivityOptions): ActivityOptions => ({ ...options, taskQueue });
