/**
 * The federal day: U.S. Government deadlines and plan days run on the calendar of Washington, D.C.
 * (America/New_York), not UTC, so 2026-03-06T03:00Z is still Thursday 5 March. Pure Intl, usable
 * in workflow code.
 */
export const FEDERAL_TIME_ZONE = 'America/New_York';

const DAY_MS = 86_400_000;

const PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: FEDERAL_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A wall-clock reading in New York; `date` is YYYY-MM-DD and `msOfDay` the time since its midnight. */
export interface FederalClock {
  date: string;
  msOfDay: number;
}

export function federalClock(instant: Date): FederalClock {
  const part = Object.fromEntries(PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  const msOfDay = ((Number(part.hour) * 60 + Number(part.minute)) * 60 + Number(part.second)) * 1000 + instant.getUTCMilliseconds();
  return { date: `${part.year}-${part.month}-${part.day}`, msOfDay };
}

/** YYYY-MM-DD of the federal day an instant falls on. */
export function federalDate(instant: Date): string {
  return federalClock(instant).date;
}

/** New York's offset from UTC at an instant, in ms (negative: -5 h in winter, -4 h in summer). */
function offsetAt(instant: number): number {
  const { date, msOfDay } = federalClock(new Date(instant));
  return Date.parse(`${date}T00:00:00Z`) + msOfDay - instant;
}

/**
 * The instant New York's clock reads `msOfDay` on `date`. A reading repeated in the autumn change
 * takes its first occurrence; one skipped in the spring (02:00-03:00) lands an hour later.
 */
export function federalInstant(date: string, msOfDay = 0): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + msOfDay;
  const before = wall - offsetAt(wall - DAY_MS);
  const after = wall - offsetAt(wall + DAY_MS);
  const readsWall = (instant: number) => instant + offsetAt(instant) === wall;
  const valid = [before, after].filter(readsWall);
  return new Date(valid.length > 0 ? Math.min(...valid) : before);
}

/** YYYY-MM-DD `days` calendar days after `date` (calendar arithmetic, no time zone involved). */
export function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
