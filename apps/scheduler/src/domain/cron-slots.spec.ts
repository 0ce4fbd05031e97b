import { Cron } from 'croner';
import { CronSlotRun, RUN_SLOTS_KEPT } from './cron-slots';

const cron = (pattern: string, timezone: string) => new Cron(pattern, { timezone, mode: '5-part', domAndDow: false });

/** What croner itself answers, asked afresh every time. */
function truth(job: Cron) {
  return {
    nextAfter: (t: number) => job.nextRuns(1, new Date(t))[0]?.getTime(),
    latestAtOrBefore: (t: number) => job.previousRuns(1, new Date(t + 1))[0]?.getTime(),
  };
}

/** A small deterministic generator, so a failure names its seed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

describe('CronSlotRun answers as croner does', () => {
  // Both daylight-saving transitions of both zones fall inside the spans walked below.
  const cases: Array<[string, string, string]> = [
    ['* * * * *', 'UTC', '2027-01-05T10:00:00Z'],
    ['*/30 * * * *', 'Europe/Berlin', '2027-10-30T22:00:00Z'],
    ['30 2 * * *', 'Europe/Berlin', '2027-03-20T00:00:00Z'],
    ['30 1 * * *', 'America/New_York', '2027-11-01T00:00:00Z'],
    ['30 2 * * *', 'America/New_York', '2027-03-08T00:00:00Z'],
    ['0 9 * * 1-5', 'Asia/Seoul', '2027-01-01T00:00:00Z'],
    ['15 */6 1,15 * *', 'Asia/Kolkata', '2027-02-01T00:00:00Z'],
    ['0 0 29 2 *', 'UTC', '2027-01-01T00:00:00Z'],
  ];

  it.each(cases)('%s in %s: forward walks, jumps back and far ahead', (pattern, zone, start) => {
    const run = new CronSlotRun(cron(pattern, zone));
    const expected = truth(cron(pattern, zone));
    const rand = random(pattern.length * 31 + zone.length);
    const origin = Date.parse(start);
    const span = 40 * 86_400_000;
    let t = origin;
    for (let step = 0; step < 400; step++) {
      const r = rand();
      // Mostly small steps forward (a scheduler's cursors), sometimes back, sometimes far.
      if (r < 0.7) t += Math.floor(rand() * 3_600_000);
      else if (r < 0.85) t -= Math.floor(rand() * 86_400_000);
      else t = origin + Math.floor(rand() * span);
      expect([t, run.nextAfter(t)]).toEqual([t, expected.nextAfter(t)]);
      expect([t, run.latestAtOrBefore(t)]).toEqual([t, expected.latestAtOrBefore(t)]);
    }
  });

  it('a slot exactly at t is not after t but is at or before it', () => {
    const run = new CronSlotRun(cron('0 * * * *', 'UTC'));
    const slot = Date.parse('2027-01-05T10:00:00Z');
    expect(run.nextAfter(slot)).toBe(slot + 3_600_000);
    expect(run.latestAtOrBefore(slot)).toBe(slot);
    expect(run.latestAtOrBefore(slot - 1)).toBe(slot - 3_600_000);
  });

  it('keeps at most RUN_SLOTS_KEPT slots however far it is walked', () => {
    const job = cron('* * * * *', 'UTC');
    const run = new CronSlotRun(job);
    let t = Date.parse('2027-01-05T00:00:00Z');
    for (let i = 0; i < 5 * RUN_SLOTS_KEPT; i++) t = run.nextAfter(t)!;
    expect(t).toBe(Date.parse('2027-01-05T00:00:00Z') + 5 * RUN_SLOTS_KEPT * 60_000);
    expect((run as unknown as { slots: number[] }).slots.length).toBeLessThanOrEqual(RUN_SLOTS_KEPT);
    // The walk from the dropped part is asked of croner again, and still right.
    expect(run.nextAfter(Date.parse('2027-01-05T00:00:30Z'))).toBe(Date.parse('2027-01-05T00:01:00Z'));
  });

  it('a pattern with no slot at all answers undefined both ways', () => {
    const never = { nextRuns: () => [], previousRuns: () => [] };
    const run = new CronSlotRun(never);
    expect(run.nextAfter(0)).toBeUndefined();
    expect(run.latestAtOrBefore(0)).toBeUndefined();
    expect(run.nextAfter(1_000_000)).toBeUndefined();
  });

  it('a pattern whose slots end answers its last slot and then nothing', () => {
    const job = cron('0 0 1 1 *', 'UTC');
    const last = Date.parse('2030-01-01T00:00:00Z');
    const ending = {
      nextRuns: (n: number, after: Date) => job.nextRuns(n, after).filter((d) => d.getTime() <= last),
      previousRuns: (n: number, before: Date) => job.previousRuns(n, before),
    };
    const run = new CronSlotRun(ending);
    expect(run.nextAfter(Date.parse('2028-06-01T00:00:00Z'))).toBe(Date.parse('2029-01-01T00:00:00Z'));
    expect(run.nextAfter(Date.parse('2029-06-01T00:00:00Z'))).toBe(last);
    expect(run.nextAfter(last)).toBeUndefined();
    expect(run.latestAtOrBefore(last + 86_400_000)).toBe(last);
  });
});
