import { isAHoliday } from '@18f/us-federal-holidays';
import type { ConfiguredDuration } from '../../config/duration';
import { addCalendarDays, federalClock, federalDate, federalInstant } from './federal-day';

const DAY_MS = 24 * 60 * 60 * 1000;
// The holiday library reads a date at UTC midnight as that calendar date; the dates passed are New York's.
const HOLIDAY_OPTIONS = { shiftSaturdayHolidays: true, shiftSundayHolidays: true, utc: true };

/** Whether a New York calendar date (YYYY-MM-DD) is Monday to Friday and not a U.S. federal holiday (5 U.S.C. 6103, observed dates). */
function isBusinessDate(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isAHoliday(day, HOLIDAY_OPTIONS);
}

/** A federal business day, by the date in New York (America/New_York) at that instant. */
export function isBusinessDay(instant: Date): boolean {
  return isBusinessDate(federalDate(instant));
}

/**
 * The instant `days` federal business days after `start`, at the same New York time of day:
 * days are counted on the New York calendar, so a request at Friday 23:30 there counts Monday as
 * its first business day, and the deadline keeps its wall-clock time across a DST change.
 */
export function addBusinessDays(start: Date, days: number): Date {
  const whole = Math.floor(days);
  const { date, msOfDay } = federalClock(start);
  let cursor = date;
  for (let counted = 0; counted < whole;) {
    cursor = addCalendarDays(cursor, 1);
    if (isBusinessDate(cursor)) counted += 1;
  }
  const end = whole > 0 ? federalInstant(cursor, msOfDay) : start;
  const fraction = days - whole;
  return fraction ? new Date(end.getTime() + fraction * DAY_MS) : end;
}

/** docs/spec.md section 6: day durations count federal business days; shorter units count wall-clock time. */
export function deadlineAfter(start: Date, duration: ConfiguredDuration): Date {
  return duration.unit === 'businessDays' ? addBusinessDays(start, duration.days) : new Date(start.getTime() + duration.ms);
}
