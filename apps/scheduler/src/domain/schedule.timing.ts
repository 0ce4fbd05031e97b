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
import { CronSlotRun } from './cron-slots';

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
  const next = slotSource(timing);
  const slots: Date[] = [];
  // The count is checked before asking for one more: a cron pattern's slots past the last one
  // asked for would cost croner for nothing.
  for (let t = after.getTime(); slots.length < n;) {
    const slot = next(t);
    if (slot === undefined) break;
    slots.push(new Date(slot));
    t = slot;
  }
  return slots;
}

/** The slots in `(after, until]`, oldest first, at most `limit` of them (the oldest). */
export function slotsBetween(timing: ScheduleTiming, after: Date, until: Date, limit = MAX_SLOTS_PER_CALL): Date[] {
  const next = slotSource(timing);
  const slots: Date[] = [];
  const end = until.getTime();
  for (let t = after.getTime(); slots.length < limit;) {
    const slot = next(t);
    if (slot === undefined || slot > end) break;
    slots.push(new Date(slot));
    t = slot;
  }
  return slots;
}

/** "The first slot strictly after t (epoch ms)" for a timing; undefined when it never fires again. */
function slotSource(timing: ScheduleTiming): (t: number) => number | undefined {
  switch (timing.kind) {
    case 'cron': {
      const run = cronSlots(timing.cron, timing.timezone);
      return (t) => run.nextAfter(t);
    }
    case 'interval': {
      const every = timing.everySeconds * 1000;
      const anchor = Date.parse(timing.anchor);
      return (t) => anchor + Math.max(1, Math.floor((t - anchor) / every) + 1) * every;
    }
    case 'once': {
      const at = Date.parse(timing.at);
      return (t) => (at > t ? at : undefined);
    }
    default:
      return assertNever(timing);
  }
}

/**
 * Works out the slot after `t` ahead of time: the fire loop calls it with a schedule's next slot
 * once a fire is recorded, so planning that next fire finds its slots known and asks croner
 * nothing (otherwise each pattern's next slots are worked out inside the burst, 100-250 µs a
 * pattern). A no-op for interval and one-shot schedules, which are arithmetic.
 */
export function prepareSlotsAfter(timing: ScheduleTiming, t: Date): void {
  if (timing.kind === 'cron') cronSlots(timing.cron, timing.timezone).nextAfter(t.getTime());
}

/**
 * Parsed patterns and the slots found so far, by `timezone + cron`: the schedules that share a
 * pattern share its slots (see `CronSlotRun`). Bounded: the least recently used pattern goes first.
 */
const cronPatterns = new Map<string, { job: Cron; slots: CronSlotRun }>();
const CRON_PATTERNS_KEPT = 2000;

function cronPattern(cron: string, timezone: string): { job: Cron; slots: CronSlotRun } {
  const key = `${timezone} ${cron}`;
  let pattern = cronPatterns.get(key);
  if (pattern) {
    // Most recently used last, so the eviction below drops the pattern unused the longest.
    cronPatterns.delete(key);
    cronPatterns.set(key, pattern);
  } else {
    // `5-part`: the API takes standard crontab lines (no seconds field). Day-of-month and
    // day-of-week combine with OR when both are set, as in Vixie cron. Never started (no
    // callback): only its pure `nextRuns`/`previousRuns` are used, so one instance serves all.
    const job = new Cron(cron, { timezone, mode: '5-part', domAndDow: false });
    pattern = { job, slots: new CronSlotRun(job) };
    if (cronPatterns.size >= CRON_PATTERNS_KEPT) cronPatterns.delete(cronPatterns.keys().next().value!);
    cronPatterns.set(key, pattern);
  }
  return pattern;
}

const cronJob = (cron: string, timezone: string): Cron => cronPattern(cron, timezone).job;
const cronSlots = (cron: string, timezone: string): CronSlotRun => cronPattern(cron, timezone).slots;

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** The latest slot at or before `t`, if the schedule has one. */
export function latestSlotAtOrBefore(timing: ScheduleTiming, t: Date): Date | undefined {
  switch (timing.kind) {
    case 'cron': {
      const slot = cronSlots(timing.cron, timing.timezone).latestAtOrBefore(t.getTime());
      return slot !== undefined ? new Date(slot) : undefined;
    }
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
