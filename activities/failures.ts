import { ApplicationFailure } from '@temporalio/common';
import { RowNotFoundError } from '../libs/db';

/**
 * Failure types of activities that no retry can cure. workflows/activity-options.ts lists the same
 * strings in its presets' `nonRetryableErrorTypes` (test/unit/activities/failures.spec.ts keeps them equal).
 */
export const ACTIVITY_FAILURES = {
  /** The proposal, task or program the activity was asked about does not exist. */
  notFound: 'NotFound',
  /** The workflow passed an input the activity cannot use (a bug no retry fixes). */
  invalidInput: 'InvalidActivityInput',
  /** Retryable: the stored proposal is older than the version asked for (its amendment may still be committing). */
  staleVersion: 'StaleProposalVersion',
} as const;

/** A non-retryable failure: the row asked about does not exist (a retry would find it missing again). */
export function notFound(what: string, id: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${what} ${id} does not exist`, ACTIVITY_FAILURES.notFound);
}

/** Throws `failure` where an expression is expected (`row ?? throwIt(notFound(...))`). */
export function throwIt(failure: Error): never {
  throw failure;
}

/**
 * Wraps a class's activity functions: a missing row reported by libs/db becomes a non-retryable
 * failure; every other error (a database that is down, a timeout) stays retryable.
 */
export function failPermanently<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        if (error instanceof RowNotFoundError) throw notFound(error.what, error.id);
        throw error;
      }
    };
  }
  return wrapped as T;
}
