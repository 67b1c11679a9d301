import ms from 'ms';

/**
 * A configured duration. docs/spec.md section 6: day-based SLAs count federal business days; seconds,
 * minutes and hours count wall-clock time (so tests and demos can use "5s").
 */
export type ConfiguredDuration = { unit: 'businessDays'; days: number } | { unit: 'ms'; ms: number };

const DAYS = /^\s*(\d+(?:\.\d+)?)\s*(d|day|days)\s*$/i;

export function parseDuration(text: string): ConfiguredDuration | undefined {
  const days = DAYS.exec(text);
  if (days) return { unit: 'businessDays', days: Number(days[1]) };
  const value = ms(text as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return { unit: 'ms', ms: value };
}
