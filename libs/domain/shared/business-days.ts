import { isAHoliday } from '@18f/us-federal-holidays';
import type { ConfiguredDuration } from '../../config/duration';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOLIDAY_OPTIONS = { shiftSaturdayHolidays: true, shiftSundayHolidays: true, utc: true };

/** A federal business day: Monday to Friday and not a U.S. federal holiday (5 U.S.C. 6103, observed dates). */
export function isBusinessDay(date: Date): boolean {
  const weekday = date.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isAHoliday(date, HOLIDAY_OPTIONS);
}

/** The instant `days` federal business days after `start`, keeping its time of day (calendar in UTC). */
export function addBusinessDays(start: Date, days: number): Date {
  const whole = Math.floor(days);
  let cursor = new Date(start);
  for (let counted = 0; counted < whole;) {
    cursor = new Date(cursor.getTime() + DAY_MS);
    if (isBusinessDay(cursor)) counted += 1;
  }
  const fraction = days - whole;
  return fraction ? new Date(cursor.getTime() + fraction * DAY_MS) : cursor;
}

/** docs/spec.md section 6: day durations count federal business days; shorter units count wall-clock time. */
export function deadlineAfter(start: Date, duration: ConfiguredDuration): Date {
  return duration.unit === 'businessDays' ? addBusinessDays(start, duration.days) : new Date(start.getTime() + duration.ms);
}
