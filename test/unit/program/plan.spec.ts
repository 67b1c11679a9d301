import {
  daysUntil,
  dependencyCycle,
  milestoneStatus,
  planDate,
  planDayStart,
  planStatus,
  planToday,
} from '../../../libs/domain/program/plan';

describe('program plan dates and status (EO 14320 sec. 3(a), docs/spec.md section 2.5)', () => {
  it('counts plan days as calendar days: day 90 from 2025-07-23 is 2025-10-21', () => {
    expect(planDate('2025-07-23', 90)).toBe('2025-10-21');
    expect(daysUntil('2025-10-21', '2025-07-23')).toBe(90);
  });

  describe('plan days are federal days (America/New_York)', () => {
    it.each([
      // 03:00Z on 22 October 2025 is 23:00 EDT on the 21st: day 90 of a plan from 2025-07-23 is still today.
      ['2025-10-22T03:00:00Z', '2025-10-21'],
      ['2025-10-22T04:00:00Z', '2025-10-22'],
      // Winter: New York is UTC-5, so 04:59Z is still the evening before.
      ['2026-03-06T04:59:00Z', '2026-03-05'],
    ])('%s is plan day %s', (instant, date) => {
      expect(planToday(new Date(instant))).toBe(date);
    });

    it('keeps a milestone due on day 90 pending until midnight in New York', () => {
      const due = planDate('2025-07-23', 90);

      expect(milestoneStatus({ dueDate: due, completedAt: null }, planToday(new Date('2025-10-22T03:59:00Z')))).toBe('PENDING');
      expect(milestoneStatus({ dueDate: due, completedAt: null }, planToday(new Date('2025-10-22T04:00:00Z')))).toBe('OVERDUE');
    });

    it.each([
      ['2025-10-21', '2025-10-21T04:00:00.000Z'],
      ['2026-01-15', '2026-01-15T05:00:00.000Z'],
      // The day of the spring change still begins at 00:00 EST.
      ['2026-03-08', '2026-03-08T05:00:00.000Z'],
      ['2026-03-09', '2026-03-09T04:00:00.000Z'],
    ])('plan day %s begins at %s', (date, instant) => {
      expect(new Date(planDayStart(date)).toISOString()).toBe(instant);
    });
  });

  it('marks a milestone overdue only after its due date', () => {
    expect(milestoneStatus({ dueDate: '2025-10-21', completedAt: null }, '2025-10-21')).toBe('PENDING');
    expect(milestoneStatus({ dueDate: '2025-10-21', completedAt: null }, '2025-10-22')).toBe('OVERDUE');
    expect(milestoneStatus({ dueDate: '2025-10-21', completedAt: '2025-11-01T00:00:00Z' }, '2025-12-01')).toBe('DONE');
  });

  it.each([
    ['ON_TRACK', [{ dueDate: '2025-10-21', completedAt: null }], '2025-08-01'],
    ['AT_RISK', [{ dueDate: '2025-10-21', completedAt: null }], '2025-10-14'],
    ['OVERDUE', [{ dueDate: '2025-10-21', completedAt: null }], '2025-10-22'],
    ['ESTABLISHED', [{ dueDate: '2025-10-21', completedAt: '2025-10-20T00:00:00Z' }], '2025-12-22'],
  ] as const)('rolls up to %s', (status, milestones, today) => {
    expect(planStatus([...milestones], '2025-10-21', today)).toBe(status);
  });

  it('finds dependency cycles, which would make a plan impossible to establish', () => {
    expect(
      dependencyCycle([
        { key: 'a', dependsOn: [] },
        { key: 'b', dependsOn: ['a'] },
      ]),
    ).toEqual([]);
    expect(
      dependencyCycle([
        { key: 'a', dependsOn: ['c'] },
        { key: 'b', dependsOn: ['a'] },
        { key: 'c', dependsOn: ['b'] },
      ]),
    ).toEqual(['a', 'c', 'b']);
  });
});
