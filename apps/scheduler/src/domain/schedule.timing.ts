/**
 * When a schedule fires: its slots. A slot is the instant a fire is due; the pair (schedule, slot)
 * is what makes a fire unique. Cron is read with croner in the schedule's IANA time zone, which
 * follows Vixie cron across daylight saving:
 *
 * - spring forward: a time inside the skipped hour (02:30 in Europe/Berlin on the last Sunday of
 *   March) fires once, at the first valid time after the gap (03:00 local);
 * - fall back: a time inside the repeated hour fires once, at its first occurrence (02:30 summer
 *   time); jobs that run more than hourly keep running through both copies of the hour.
 *
 * Pure: the current time always arrives as an argument.
 */
import { Cron } from 'croner';
import type { FieldError } from '@flowstack/contracts';

export type ScheduleTiming =
  | { kind: 'cron'; cron: string; timezone: string }
  /** Slots at `anchor + k * everySeconds`, k >= 1: a restart never shifts them. */
  | { kind: 'interval'; everySeconds: number; anchor: string }
  | { kind: 'once'; at: string };

/** Below this an interval schedule is refused: sub-10 s work belongs in a workflow, not a schedule. */
export const MIN_INTERVAL_SECONDS = 10;
/** The most slots one call computes (a `next?count=`, a catch-up window). */
export const MAX_SLOTS_PER_CALL = 1000;

/**
 * Every problem with a timing, located by `path` in the request (`cron`, `timezone`,
 * `everySeconds`, `at`). `now` refuses a one-shot in the past. Empty when the timing can fire.
 */
export function timingProblems(timing: ScheduleTiming, now: Date): FieldError[] {
  switch (timing.kind) {
    case 'cron':
      return cronProblems(timing.cron, timing.timezone, now);
    case 'interval':
      return intervalProblems(timing.everySeconds, timing.anchor);
    case 'once':
      return onceProblems(timing.at, now);
    default:
      return assertNever(timing);
  }
}

/** True for a name the runtime's time zone database knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function cronProblems(cron: string, timezone: string, now: Date): FieldError[] {
  if (!isTimeZone(timezone)) {
    return [{ path: 'timezone', rule: 'unknown_time_zone', message: `'${timezone}' is not an IANA time zone` }];
  }
  const fields = cron.trim().split(/\s+/);
  if (!cron.trim().startsWith('@') && fields.length !== 5) {
    const message =
      `cron takes 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}` +
      (fields.length === 6 ? ': seconds are not supported' : '');
    return [{ path: 'cron', rule: 'cron_field_count', message }];
  }
  let job: Cron;
  try {
    job = cronJob(cron, timezone);
  } catch (e) {
    return [{ path: 'cron', rule: 'invalid_cron', message: e instanceof Error ? e.message : String(e) }];
  }
  // A pattern that parses but names no real day (`0 0 30 2 *`) would never fire: say so now.
  if (job.nextRuns(1, now).length === 0) {
    return [{ path: 'cron', rule: 'cron_never_fires', message: `'${cron}' matches no date (e.g. February 30th)` }];
  }
  return [];
}

function intervalProblems(everySeconds: number, anchor: string): FieldError[] {
  const problems: FieldError[] = [];
  if (!Number.isSafeInteger(everySeconds) || everySeconds < MIN_INTERVAL_SECONDS) {
    const message = `everySeconds must be an integer of at least ${MIN_INTERVAL_SECONDS}`;
    problems.push({ path: 'everySeconds', rule: 'interval_too_short', message });
  }
  if (Number.isNaN(Date.parse(anchor))) problems.push({ path: 'anchor', rule: 'invalid_time', message: 'not an ISO-8601 time' });
  return problems;
}

function onceProblems(at: string, now: Date): FieldError[] {
  const instant = Date.parse(at);
  if (Number.isNaN(instant)) return [{ path: 'at', rule: 'invalid_time', message: `'${at}' is not an ISO-8601 time` }];
  if (instant <= now.getTime()) return [{ path: 'at', rule: 'in_the_past', message: `${at} is not in the future` }];
  return [];
}

/**
 * Up to `count` slots strictly after `after`, in order. Cron and interval go on forever; a
 * one-shot has at most its one slot.
 */
export function slotsAfter(timing: ScheduleTiming, after: Date, count: number): Date[] {
  const n = Math.min(Math.max(0, Math.floor(count)), MAX_SLOTS_PER_CALL);
  if (n === 0) return [];
  switch (timing.kind) {
    case 'cron':
      return cronJob(timing.cron, timing.timezone).nextRuns(n, after);
    case 'interval': {
      const every = timing.everySeconds * 1000;
      const anchor = Date.parse(timing.anchor);
      const k = Math.max(1, Math.floor((after.getTime() - anchor) / every) + 1);
      return Array.from({ length: n }, (_, i) => new Date(anchor + (k + i) * every));
    }
    case 'once': {
      const at = new Date(timing.at);
      return at.getTime() > after.getTime() ? [at] : [];
    }
    default:
      return assertNever(timing);
  }
}

/**
 * The slots in `(after, until]`, oldest first, at most `limit` of them (the oldest). Asks for 2
 * slots first, then twice as many each time up to 128: a due schedule usually has one slot in the
 * window, and each cron slot in a time zone costs croner about 0.25 ms (asking for 100 at once
 * made planning 1,000 due cron schedules take 25 s).
 */
export function slotsBetween(timing: ScheduleTiming, after: Date, until: Date, limit = MAX_SLOTS_PER_CALL): Date[] {
  const slots: Date[] = [];
  let cursor = after;
  let ask = 2;
  while (slots.length < limit) {
    const batch = slotsAfter(timing, cursor, Math.min(ask, limit - slots.length));
    ask = Math.min(ask * 2, 128);
    for (const slot of batch) {
      if (slot.getTime() > until.getTime()) return slots;
      slots.push(slot);
    }
    if (batch.length === 0) return slots;
    cursor = batch[batch.length - 1];
  }
  return slots;
}

/** Parsed patterns by `timezone + cron`: planning one due schedule asks croner up to five questions. */
const cronJobs = new Map<string, Cron>();
const CRON_JOBS_KEPT = 2000;

function cronJob(cron: string, timezone: string): Cron {
  const key = `${timezone} ${cron}`;
  let job = cronJobs.get(key);
  if (!job) {
    // `5-part`: the API takes standard crontab lines (no seconds field). Day-of-month and
    // day-of-week combine with OR when both are set, as in Vixie cron. Never started (no
    // callback): only its pure `nextRuns`/`previousRuns` are used, so one instance serves all.
    job = new Cron(cron, { timezone, mode: '5-part', domAndDow: false });
    if (cronJobs.size >= CRON_JOBS_KEPT) cronJobs.delete(cronJobs.keys().next().value!);
    cronJobs.set(key, job);
  }
  return job;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** The latest slot at or before `t`, if the schedule has one. */
export function latestSlotAtOrBefore(timing: ScheduleTiming, t: Date): Date | undefined {
  switch (timing.kind) {
    case 'cron':
      // previousRuns looks strictly before its reference: a slot exactly at `t` counts.
      return cronJob(timing.cron, timing.timezone).previousRuns(1, new Date(t.getTime() + 1))[0];
    case 'interval': {
      const every = timing.everySeconds * 1000;
      const anchor = Date.parse(timing.anchor);
      const k = Math.floor((t.getTime() - anchor) / every);
      return k >= 1 ? new Date(anchor + k * every) : undefined;
    }
    case 'once':
      return Date.parse(timing.at) <= t.getTime() ? new Date(timing.at) : undefined;
    default:
      return assertNever(timing);
  }
}
