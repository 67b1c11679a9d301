import slaTable from '../../../data/task-slas.json';
import type { AppConfig } from '../../config/app-config';
import { ConfiguredDuration, parseDuration } from '../../config/duration';
import { deadlineAfter } from '../shared/business-days';
import type { TaskType } from './task-types';

export type BreachAction = 'ESCALATE' | 'LAPSE';

export interface TaskDeadlines {
  dueAt: string;
  reminderAt: string;
  onBreach: BreachAction;
}

type SlaRow = (typeof slaTable.slas)[TaskType];

/** Durations the environment may override (docs/spec.md section 6), by variable name. */
function overrides(config: AppConfig): Record<string, ConfiguredDuration> {
  const { reviewSla, financingSla, sbaSla, advocacySla, licensingSla } = config.durations;
  return { REVIEW_SLA: reviewSla, FINANCING_SLA: financingSla, SBA_SLA: sbaSla, ADVOCACY_SLA: advocacySla, LICENSING_SLA: licensingSla };
}

/** Due date and reminder of a task opened at `openedAt`, from the SLA table (data/task-slas.json) and configuration. */
export function taskDeadlines(type: TaskType, openedAt: Date, config: AppConfig): TaskDeadlines {
  const row: SlaRow = slaTable.slas[type];
  const duration = (row.configuredBy && overrides(config)[row.configuredBy]) || (parseDuration(row.duration) as ConfiguredDuration);
  const due = deadlineAfter(openedAt, duration);
  const fraction = row.reminderAt === 'REVIEW_REMINDER_AT' ? config.durations.reviewReminderAt : Number(row.reminderAt);
  const reminder = new Date(openedAt.getTime() + fraction * (due.getTime() - openedAt.getTime()));
  return { dueAt: due.toISOString(), reminderAt: reminder.toISOString(), onBreach: row.onBreach as BreachAction };
}
