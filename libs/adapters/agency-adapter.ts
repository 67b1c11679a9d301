import type { Agency } from '../domain/identity/roles';
import type { TaskType } from '../domain/tasks/task-types';

/** A unit of work sent to an agency: what its own system needs to show and answer the task. */
export interface AgencyWorkItem {
  taskId: string;
  proposalId: string;
  type: TaskType;
  agency: Agency;
  dueAt: string;
  decisions: readonly string[];
  form: Record<string, unknown>;
  /** Where the agency's system posts its signed decision. */
  callbackPath: string;
}

/**
 * How work reaches an agency (docs/spec.md section 8): the built-in inbox, or the agency's own system over
 * a signed webhook. Activities call this; workflows and rules never know which.
 */
export interface AgencyAdapter {
  readonly kind: 'inbox' | 'webhook';
  deliver(item: AgencyWorkItem): Promise<void>;
}

/** The built-in inbox: the task row is the delivery, so there is nothing more to send. */
export class InboxAdapter implements AgencyAdapter {
  readonly kind = 'inbox' as const;
  async deliver(): Promise<void> {}
}
