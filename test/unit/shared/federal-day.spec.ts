import { addBusinessDays, isBusinessDay } from '../../../libs/domain/shared/business-days';
import { federalClock, federalDate, federalInstant } from '../../../libs/domain/shared/federal-day';

const HOUR = 3_600_000;

describe('the federal day (America/New_York)', () => {
  it.each([
    // 03:00Z is 22:00 EST the evening before: still Thursday 5 March in New York.
    ['2026-03-06T03:00:00Z', '2026-03-05', 22 * HOUR],
    ['2026-03-06T05:00:00Z', '2026-03-06', 0],
    // After the spring change (8 March 2026) New York is UTC-4: 03:59Z is 23:59 on the 9th.
    ['2026-03-10T03:59:00Z', '2026-03-09', 23 * HOUR + 59 * 60_000],
    ['2026-07-01T04:00:00Z', '2026-07-01', 0],
  ])('%s falls on %s in New York', (instant, date, msOfDay) => {
    expect(federalClock(new Date(instant))).toEqual({ date, msOfDay });
    expect(federalDate(new Date(instant))).toBe(date);
  });

  describe('federalInstant: the instant a New York wall-clock time names', () => {
    it.each([
      ['2026-01-15', 0, '2026-01-15T05:00:00.000Z'],
      ['2026-07-15', 9 * HOUR, '2026-07-15T13:00:00.000Z'],
      // 8 March 2026: clocks jump from 02:00 to 03:00; 02:30 does not exist and lands an hour later.
      ['2026-03-08', 2.5 * HOUR, '2026-03-08T07:30:00.000Z'],
      ['2026-03-08', 3 * HOUR, '2026-03-08T07:00:00.000Z'],
      // 1 November 2026: 01:30 happens twice; the first (EDT) is taken.
      ['2026-11-01', 1.5 * HOUR, '2026-11-01T05:30:00.000Z'],
      ['2026-11-01', 0, '2026-11-01T04:00:00.000Z'],
      ['2026-11-02', 0, '2026-11-02T05:00:00.000Z'],
    ])('%s at %d ms -> %s', (date, msOfDay, instant) => {
      expect(federalInstant(date, msOfDay).toISOString()).toBe(instant);
    });
  });
});

describe('federal business days by the New York date', () => {
  it.each([
    // Thanksgiving is 26 November 2026: 03:00Z on the 27th is still Thanksgiving evening in New York.
    ['2026-11-27T03:00:00Z', false],
    ['2026-11-27T05:00:00Z', true],
    // 03:00Z on Saturday 28 November is Friday 22:00 in New York: a business day.
    ['2026-11-28T03:00:00Z', true],
    // After the spring change New York is UTC-4: 04:30Z on 9 March is Monday 00:30, 03:30Z still Sunday 23:30.
    ['2026-03-09T04:30:00Z', true],
    ['2026-03-09T03:30:00Z', false],
    // New Year's Day 2027 is a Friday; 02:00Z on 2 January is still 1 January in New York.
    ['2027-01-02T02:00:00Z', false],
  ])('%s is a business day: %s', (instant, expected) => {
    expect(isBusinessDay(new Date(instant))).toBe(expected);
  });

  it.each([
    // Friday 6 March 2026 23:30 EST (04:30Z Saturday): Monday is the first business day, and 23:30 EDT there is 03:30Z.
    ['Friday 23:30 in New York, across the spring change', '2026-03-07T04:30:00Z', 1, '2026-03-10T03:30:00.000Z'],
    // Thursday 26 November 2026 22:00 EST is Thanksgiving: Friday 27 is the first business day.
    ['Thanksgiving evening in New York, Friday morning in UTC', '2026-11-27T03:00:00Z', 1, '2026-11-28T03:00:00.000Z'],
    // Friday 30 October 2026 09:00 EDT + 1: Monday 2 November 09:00 EST, one UTC hour later than a UTC count.
    ['09:00 across the autumn change', '2026-10-30T13:00:00Z', 1, '2026-11-02T14:00:00.000Z'],
    // Mon 23 Nov 2026 + 10 business days: 24, 25, 27, 30 Nov, 1, 2, 3, 4, 7, 8 Dec.
    ['10 days across Thanksgiving', '2026-11-23T14:00:00Z', 10, '2026-12-08T14:00:00.000Z'],
    ['half a day', '2026-11-23T14:00:00Z', 0.5, '2026-11-24T02:00:00.000Z'],
  ])('%s', (_case, start, days, due) => {
    expect(addBusinessDays(new Date(start), days).toISOString()).toBe(due);
  });
});
