import { upsertSearchAttributes } from '@temporalio/workflow';
import { PENDING_AGENCIES_ATTRIBUTE } from '../../libs/contracts/search-attributes';
import type { TaskOutcome } from '../../libs/contracts/tasks';
import type { Agency } from '../../libs/domain/identity/roles';
import { REVIEWS } from '../../libs/domain/review/reviews';
import type { StartTask } from '../tasks/start-task';

/**
 * Runs every review and consultation in parallel, each a child task with its own clock (docs/spec.md section 2.3);
 * a consultation that passes its SLA comes back as NO_RESPONSE and does not block. Keeps the
 * `ExportsPendingAgencies` search attribute current so the Temporal UI shows who is outstanding.
 */
export async function runReviews(startTask: StartTask, form: Record<string, unknown>): Promise<TaskOutcome[]> {
  const pending = new Set<Agency>(REVIEWS.map((r) => r.agency));
  const showPending = () => upsertSearchAttributes([{ key: PENDING_AGENCIES_ATTRIBUTE, value: [...pending] }]);
  showPending();
  return Promise.all(
    REVIEWS.map(async ({ agency, type }) => {
      const outcome = await startTask({ type, agency, form, context: {} });
      pending.delete(agency);
      showPending();
      return outcome;
    }),
  );
}
