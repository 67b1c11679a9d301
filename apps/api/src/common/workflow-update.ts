import { ConflictException, HttpException, UnprocessableEntityException } from '@nestjs/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/** How a workflow's Update refusals (ApplicationFailure types raised by its validators) answer over HTTP. */
export interface RefusalStatuses {
  conflict?: readonly string[];
  unprocessable?: readonly string[];
  /** The answer when the workflow has already closed. */
  closedMessage: string;
}

/**
 * Runs an Update, turning the workflow's refusals into HTTP answers: 409 for state, 422 for
 * content (with the validator's field details when it gave any), 409 when the workflow has closed.
 */
export async function runUpdate<T>(run: () => Promise<T>, statuses: RefusalStatuses): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toHttpError(error, statuses);
  }
}

function toHttpError(error: unknown, statuses: RefusalStatuses): unknown {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type) {
    if (statuses.unprocessable?.includes(cause.type)) {
      const details = Array.isArray(cause.details?.[0]) ? cause.details[0] : [];
      return new UnprocessableEntityException({ message: cause.message, details });
    }
    if (statuses.conflict?.includes(cause.type)) return new ConflictException(cause.message);
  }
  if (error instanceof HttpException) return error;
  // A closed workflow answers an Update with WorkflowNotFoundError or a gRPC "already completed".
  if (error instanceof WorkflowNotFoundError || /already completed|workflow not found/i.test((error as Error)?.message ?? '')) {
    return new ConflictException(statuses.closedMessage);
  }
  return error;
}
