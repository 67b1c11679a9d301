import { upsertSearchAttributes } from '@temporalio/workflow';
import { PENDING_AGENCIES_ATTRIBUTE } from '../../libs/contracts/search-attributes';
import type { HumanTaskInput, TaskOutcome } from '../../libs/contracts/tasks';
import type { Agency } from '../../libs/domain/identity/roles';
import type { TaskType } from '../../libs/domain/tasks/task-types';

/** EO 14320 sec. 3(d): Commerce decides in consultation with State, OSTP, Defense and Energy. */
const REVIEWS: { agency: Agency; type: TaskType }[] = [
  { agency: 'COMMERCE', type: 'AGENCY_REVIEW' },
  { agency: 'STATE', type: 'AGENCY_REVIEW' },
  { agency: 'OSTP', type: 'AGENCY_REVIEW' },
  { agency: 'DOD', type: 'CONSULTATION' },
  { agency: 'DOE', type: 'CONSULTATION' },
];

/** Starts a human task as a child workflow; `taskId` when the caller needs to know it up front. */
export type StartTask = (task: Omit<HumanTaskInput, 'taskId' | 'proposalId'>, taskId?: string) => Promise<TaskOutcome>;

/**
 * Runs every review and consultation in parallel, each a child task with its own clock (SPEC 2.3);
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

/** What the deciding official sees: every agency's position (SPEC 2.3). */
export function positionsOf(outcomes: TaskOutcome[]) {
  return outcomes.map((o) => ({
    agency: o.agency,
    kind: o.type === 'CONSULTATION' ? 'CONSULTATION' : 'REVIEW',
    position: o.decision,
    conditions: o.conditions,
    comment: o.comment,
    decidedBy: o.decidedBy,
    decidedAt: o.decidedAt,
  }));
}
