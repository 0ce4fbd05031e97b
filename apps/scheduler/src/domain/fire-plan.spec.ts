import { planFires, type MissedPolicy } from './fire-plan';
import type { ScheduleTiming } from './schedule.timing';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const hourly: ScheduleTiming = { kind: 'cron', cron: '0 * * * *', timezone: 'UTC' };
const at = (t: string) => new Date(`2027-01-01T${t}Z`);

function plan(missed: MissedPolicy, cursor: string, now: string) {
  return planFires({ timing: hourly, missed, cursor: at(cursor), now: at(now) });
}

describe('planFires', () => {
  it('fires a slot that is due now, whatever the policy, and moves the cursor to now', () => {
    for (const missed of [
      { kind: 'skip' },
      { kind: 'run_once' },
      { kind: 'catch_up', maxRuns: 5, windowSeconds: 86_400 },
    ] as const) {
      const result = plan(missed, '09:00:00', '10:00:00.020');
      expect(iso(result.fire)).toEqual(['2027-01-01T10:00:00.000Z']);
      expect(result.skipped).toBe(0);
      expect(result.cursor.toISOString()).toBe('2027-01-01T10:00:00.020Z');
      expect(result.next?.toISOString()).toBe('2027-01-01T11:00:00.000Z');
    }
  });

  it('a slot late by less than the grace is on time, not missed', () => {
    expect(iso(plan({ kind: 'skip' }, '09:00:00', '10:00:59').fire)).toEqual(['2027-01-01T10:00:00.000Z']);
  });

  it('skip: after five hours down, nothing missed fires', () => {
    const result = plan({ kind: 'skip' }, '04:30:00', '09:30:00');
    expect(result.fire).toEqual([]);
    expect(result.skipped).toBe(5);
  });

  it('run_once: after five hours down, the latest missed slot fires once', () => {
    const result = plan({ kind: 'run_once' }, '04:30:00', '09:30:00');
    expect(iso(result.fire)).toEqual(['2027-01-01T09:00:00.000Z']);
    expect(result.skipped).toBe(4);
  });

  it('run_once: when a slot is on time, the missed ones do not add another run', () => {
    const result = plan({ kind: 'run_once' }, '04:30:00', '10:00:10');
    expect(iso(result.fire)).toEqual(['2027-01-01T10:00:00.000Z']);
    expect(result.skipped).toBe(5);
  });

  it('catch_up: the missed slots inside the window, at most maxRuns (the latest), oldest first', () => {
    const result = plan({ kind: 'catch_up', maxRuns: 2, windowSeconds: 3 * 3600 }, '01:30:00', '09:30:00');
    expect(iso(result.fire)).toEqual(['2027-01-01T08:00:00.000Z', '2027-01-01T09:00:00.000Z']);
    expect(result.skipped).toBe(6);
    const windowed = plan({ kind: 'catch_up', maxRuns: 10, windowSeconds: 3 * 3600 }, '01:30:00', '09:30:00');
    expect(iso(windowed.fire)).toEqual(['2027-01-01T07:00:00.000Z', '2027-01-01T08:00:00.000Z', '2027-01-01T09:00:00.000Z']);
  });

  it('stays bounded after a year of downtime of a minutely schedule', () => {
    const minutely: ScheduleTiming = { kind: 'cron', cron: '* * * * *', timezone: 'UTC' };
    const result = planFires({
      timing: minutely,
      missed: { kind: 'catch_up', maxRuns: 3, windowSeconds: 600 },
      cursor: new Date('2026-01-01T00:00:00Z'),
      now: new Date('2027-01-01T00:00:30Z'),
    });
    expect(iso(result.fire)).toEqual([
      '2026-12-31T23:57:00.000Z',
      '2026-12-31T23:58:00.000Z',
      '2026-12-31T23:59:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
    // A year of minutes is 525,600 slots; the count stops at the per-call bound.
    expect(result.skipped).toBe(997);
  });

  it('a one-shot fires once and then has no next slot', () => {
    const once: ScheduleTiming = { kind: 'once', at: '2027-01-01T10:00:00.000Z' };
    const first = planFires({ timing: once, missed: { kind: 'skip' }, cursor: at('09:00:00'), now: at('10:00:01') });
    expect(iso(first.fire)).toEqual(['2027-01-01T10:00:00.000Z']);
    expect(first.next).toBeUndefined();
    const again = planFires({ timing: once, missed: { kind: 'skip' }, cursor: first.cursor, now: at('10:05:00') });
    expect(again.fire).toEqual([]);
  });
});
