import { Cron } from 'croner';
import {
  latestSlotAtOrBefore,
  MIN_INTERVAL_SECONDS,
  type ScheduleTiming,
  slotsAfter,
  slotsBetween,
  timingProblems,
} from './schedule.timing';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const daily = (cron: string, timezone: string): ScheduleTiming => ({ kind: 'cron', cron, timezone });
const NOW = new Date('2027-01-01T00:00:00.000Z');

describe('cron slots across daylight saving', () => {
  it('Europe/Berlin spring forward: 02:30 does not exist, it fires once at 03:00 CEST', () => {
    const slots = slotsAfter(daily('30 2 * * *', 'Europe/Berlin'), new Date('2027-03-27T12:00:00Z'), 3);
    expect(iso(slots)).toEqual(['2027-03-28T01:00:00.000Z', '2027-03-29T00:30:00.000Z', '2027-03-30T00:30:00.000Z']);
  });

  it('Europe/Berlin fall back: 02:30 happens twice, it fires once, at the first (summer time)', () => {
    const slots = slotsAfter(daily('30 2 * * *', 'Europe/Berlin'), new Date('2027-10-30T12:00:00Z'), 3);
    expect(iso(slots)).toEqual(['2027-10-31T00:30:00.000Z', '2027-11-01T01:30:00.000Z', '2027-11-02T01:30:00.000Z']);
  });

  it('America/New_York spring forward: 02:30 fires once at 03:00 EDT', () => {
    const slots = slotsAfter(daily('30 2 * * *', 'America/New_York'), new Date('2027-03-13T12:00:00Z'), 2);
    expect(iso(slots)).toEqual(['2027-03-14T07:00:00.000Z', '2027-03-15T06:30:00.000Z']);
  });

  it('America/New_York fall back: 01:30 happens twice, it fires once, at the first (EDT)', () => {
    const slots = slotsAfter(daily('30 1 * * *', 'America/New_York'), new Date('2027-11-06T12:00:00Z'), 2);
    expect(iso(slots)).toEqual(['2027-11-07T05:30:00.000Z', '2027-11-08T06:30:00.000Z']);
  });

  it('a half-hourly job keeps running through both copies of the repeated hour', () => {
    const slots = slotsBetween(
      daily('*/30 * * * *', 'Europe/Berlin'),
      new Date('2027-10-31T00:00:00Z'),
      new Date('2027-10-31T02:00:00Z'),
    );
    expect(iso(slots)).toEqual([
      '2027-10-31T00:30:00.000Z',
      '2027-10-31T01:00:00.000Z',
      '2027-10-31T01:30:00.000Z',
      '2027-10-31T02:00:00.000Z',
    ]);
  });
});

describe('timing validation', () => {
  it.each([
    ['0 0 0 * * *', 'cron', 'cron_field_count', /seconds are not supported/],
    ['0 0 *', 'cron', 'cron_field_count', /5 fields/],
    ['61 * * * *', 'cron', 'invalid_cron', /minute/],
    ['0 0 30 2 *', 'cron', 'cron_never_fires', /February 30th/],
  ])('cron %p -> %s %s', (cron, path, rule, message) => {
    const [problem, ...rest] = timingProblems(daily(cron, 'UTC'), NOW);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ path, rule });
    expect(problem.message).toMatch(message);
  });

  it('names an unknown time zone', () => {
    expect(timingProblems(daily('0 9 * * *', 'Mars/Olympus_Mons'), NOW)).toEqual([
      { path: 'timezone', rule: 'unknown_time_zone', message: "'Mars/Olympus_Mons' is not an IANA time zone" },
    ]);
  });

  it('accepts standard lines and nicknames in any IANA zone', () => {
    expect(timingProblems(daily('0 9 * * 1-5', 'Asia/Seoul'), NOW)).toEqual([]);
    expect(timingProblems(daily('@daily', 'Europe/Berlin'), NOW)).toEqual([]);
  });

  it.each([0, -5, MIN_INTERVAL_SECONDS - 1, 1.5])('refuses an interval of %p seconds', (everySeconds) => {
    expect(timingProblems({ kind: 'interval', everySeconds, anchor: NOW.toISOString() }, NOW)).toEqual([
      expect.objectContaining({ path: 'everySeconds', rule: 'interval_too_short' }),
    ]);
  });

  it('refuses a one-shot in the past or now, and a time that is not one', () => {
    expect(timingProblems({ kind: 'once', at: '2026-12-31T23:59:59Z' }, NOW)).toEqual([
      expect.objectContaining({ path: 'at', rule: 'in_the_past' }),
    ]);
    expect(timingProblems({ kind: 'once', at: NOW.toISOString() }, NOW)[0].rule).toBe('in_the_past');
    expect(timingProblems({ kind: 'once', at: 'tomorrow' }, NOW)[0].rule).toBe('invalid_time');
    expect(timingProblems({ kind: 'once', at: '2027-01-01T00:00:01Z' }, NOW)).toEqual([]);
  });
});

describe('interval and one-shot slots', () => {
  const every60: ScheduleTiming = { kind: 'interval', everySeconds: 60, anchor: '2027-01-01T00:00:00.000Z' };

  it('interval slots are anchored: the same whenever they are asked for', () => {
    expect(iso(slotsAfter(every60, new Date('2027-01-01T00:02:30Z'), 2))).toEqual([
      '2027-01-01T00:03:00.000Z',
      '2027-01-01T00:04:00.000Z',
    ]);
    expect(iso(slotsAfter(every60, new Date('2027-01-01T00:03:00Z'), 1))).toEqual(['2027-01-01T00:04:00.000Z']);
    expect(iso(slotsAfter(every60, new Date('2026-12-31T00:00:00Z'), 1))).toEqual(['2027-01-01T00:01:00.000Z']);
    expect(latestSlotAtOrBefore(every60, new Date('2027-01-01T00:03:00Z'))?.toISOString()).toBe('2027-01-01T00:03:00.000Z');
    expect(latestSlotAtOrBefore(every60, new Date('2027-01-01T00:00:30Z'))).toBeUndefined();
  });

  it('a one-shot has its one slot, then none', () => {
    const once: ScheduleTiming = { kind: 'once', at: '2027-01-02T00:00:00.000Z' };
    expect(iso(slotsAfter(once, NOW, 5))).toEqual(['2027-01-02T00:00:00.000Z']);
    expect(slotsAfter(once, new Date('2027-01-02T00:00:00Z'), 5)).toEqual([]);
  });

  it('slotsBetween finds every slot of a long window, in order, none repeated', () => {
    const fiveMinutes = daily('*/5 * * * *', 'Europe/Berlin');
    expect(iso(slotsBetween(fiveMinutes, new Date('2027-01-05T09:55:00Z'), new Date('2027-01-05T10:00:00Z')))).toEqual([
      '2027-01-05T10:00:00.000Z',
    ]);
    const day = slotsBetween(fiveMinutes, new Date('2027-01-05T00:00:00Z'), new Date('2027-01-06T00:00:00Z'));
    expect(day).toHaveLength(288);
    expect(new Set(iso(day)).size).toBe(288);
    expect(day.every((d, i) => i === 0 || d.getTime() - day[i - 1].getTime() === 300_000)).toBe(true);
  });

  it('schedules sharing a pattern share its slots: a thousand cursors in the last minute cost croner a handful of slots', () => {
    const minutely = daily('* * * * *', 'America/New_York');
    const nextRuns = jest.spyOn(Cron.prototype, 'nextRuns');
    const previousRuns = jest.spyOn(Cron.prototype, 'previousRuns');
    const due = Date.parse('2027-01-05T10:00:00Z');
    for (let i = 0; i < 1000; i++) {
      const cursor = new Date(due - 60_000 + ((i * 7919) % 59_000));
      expect(slotsBetween(minutely, cursor, new Date(due + 5))[0].getTime()).toBe(due);
      expect(slotsAfter(minutely, new Date(due + 5), 1)[0].getTime()).toBe(due + 60_000);
    }
    const asked = [...nextRuns.mock.calls, ...previousRuns.mock.calls].reduce((sum, [n]) => sum + n, 0);
    expect(asked).toBeLessThanOrEqual(5);
    nextRuns.mockRestore();
    previousRuns.mockRestore();
  });

  it('the same pattern in two time zones gives each its own slots (parsed patterns are kept per zone)', () => {
    const after = new Date('2027-01-05T00:00:00Z');
    expect(slotsAfter(daily('30 2 * * *', 'UTC'), after, 1)[0].toISOString()).toBe('2027-01-05T02:30:00.000Z');
    expect(slotsAfter(daily('30 2 * * *', 'Europe/Berlin'), after, 1)[0].toISOString()).toBe('2027-01-05T01:30:00.000Z');
    expect(slotsAfter(daily('30 2 * * *', 'UTC'), after, 1)[0].toISOString()).toBe('2027-01-05T02:30:00.000Z');
  });

  it('slotsBetween is bounded by its limit however long the span', () => {
    const minutely = daily('* * * * *', 'UTC');
    expect(slotsBetween(minutely, NOW, new Date('2027-02-01T00:00:00Z'), 50)).toHaveLength(50);
    expect(latestSlotAtOrBefore(minutely, new Date('2027-01-05T10:20:00Z'))?.toISOString()).toBe('2027-01-05T10:20:00.000Z');
  });
});
