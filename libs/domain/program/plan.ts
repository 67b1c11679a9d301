import { addCalendarDays, federalDate, federalInstant } from '../shared/federal-day';

/**
 * Program establishment plans (EO 14320 sec. 3(a): "within 90 days of the date of this order").
 * Plan days are calendar days from the start date, as the order counts them: day 90 of a plan
 * starting 2025-07-23 is 2025-10-21 (docs/spec.md section 2.5). A plan day is a federal day: it
 * begins and ends at midnight in New York (America/New_York), not UTC.
 */
export type MilestoneStatus = 'PENDING' | 'DONE' | 'OVERDUE';
export type PlanStatus = 'ON_TRACK' | 'AT_RISK' | 'OVERDUE' | 'ESTABLISHED';

/** A milestone due within this many days and not done puts the plan AT_RISK (docs/spec.md section 2.5). */
export const AT_RISK_WITHIN_DAYS = 7;
const DAY_MS = 86_400_000;

export interface MilestoneFacts {
  dueDate: string;
  completedAt: string | null;
}

/** YYYY-MM-DD of `startDate` plus `days` calendar days. */
export function planDate(startDate: string, days: number): string {
  return addCalendarDays(startDate, days);
}

/** Whole calendar days from `today` to `date` (negative when past). */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** The plan day (YYYY-MM-DD) an instant falls on: the date in New York. */
export function planToday(now: Date): string {
  return federalDate(now);
}

/** The instant a plan day begins: midnight in New York. */
export function planDayStart(date: string): number {
  return federalInstant(date).getTime();
}

/** A milestone is overdue from the day after its due date while it is not done. */
export function milestoneStatus(m: MilestoneFacts, today: string): MilestoneStatus {
  if (m.completedAt) return 'DONE';
  return daysUntil(m.dueDate, today) < 0 ? 'OVERDUE' : 'PENDING';
}

/** The plan's roll-up: ESTABLISHED when all are done, else OVERDUE, AT_RISK or ON_TRACK. */
export function planStatus(milestones: MilestoneFacts[], deadline: string, today: string): PlanStatus {
  const open = milestones.filter((m) => !m.completedAt);
  if (!open.length) return 'ESTABLISHED';
  if (open.some((m) => milestoneStatus(m, today) === 'OVERDUE') || daysUntil(deadline, today) < 0) return 'OVERDUE';
  if (open.some((m) => daysUntil(m.dueDate, today) <= AT_RISK_WITHIN_DAYS)) return 'AT_RISK';
  return 'ON_TRACK';
}

/**
 * The keys on a dependency cycle, if any: milestones that wait on each other could never be
 * completed, so such a plan is refused.
 */
export function dependencyCycle(milestones: readonly { key: string; dependsOn: readonly string[] }[]): string[] {
  const dependsOn = new Map(milestones.map((m) => [m.key, m.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (key: string): string[] => {
    if (state.get(key) === 'done') return [];
    if (state.get(key) === 'visiting') return path.slice(path.indexOf(key));
    state.set(key, 'visiting');
    path.push(key);
    for (const next of dependsOn.get(key) ?? []) {
      const cycle = visit(next);
      if (cycle.length) return cycle;
    }
    path.pop();
    state.set(key, 'done');
    return [];
  };
  for (const m of milestones) {
    const cycle = visit(m.key);
    if (cycle.length) return cycle;
  }
  return [];
}

/** Milestones whose dependencies are not all done: they cannot be completed yet. */
export function unmetDependencies(dependsOn: string[], completedKeys: ReadonlySet<string>): string[] {
  return dependsOn.filter((key) => !completedKeys.has(key));
}

/** EO 14320 sec. 3(c): proposals are due no later than 90 days after the call is issued. */
export const CALL_WINDOW_DAYS = 90;

/** Whether `today` falls in a call's window (both ends included). */
export function withinCallWindow(call: { openDate: string; closeDate: string }, today: string): boolean {
  return daysUntil(call.openDate, today) <= 0 && daysUntil(call.closeDate, today) >= 0;
}
