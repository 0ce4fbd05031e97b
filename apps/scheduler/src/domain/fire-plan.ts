/**
 * Which slots fire when the scheduler looks at a schedule that is due: the missed-run policy.
 *
 * A slot is *on time* when it is due no longer than `graceMs` ago (the scheduler was merely busy,
 * or a replica just took over); older due slots were *missed* (every replica was down). On-time
 * slots always fire. Missed ones follow the schedule's policy:
 *
 * - `skip`: missed slots never fire;
 * - `run_once`: if anything was missed and nothing is on time, the latest missed slot fires once;
 * - `catch_up`: the missed slots within the last `windowSeconds` fire, at most `maxRuns` of them
 *   (the latest ones), oldest first.
 *
 * Pure; `now` is an argument. Bounded however long the downtime: it never enumerates more than
 * `MAX_SLOTS_PER_CALL` slots.
 */
import { latestSlotAtOrBefore, MAX_SLOTS_PER_CALL, type ScheduleTiming, slotsAfter, slotsBetween } from './schedule.timing';

export type MissedPolicy = { kind: 'skip' } | { kind: 'run_once' } | { kind: 'catch_up'; maxRuns: number; windowSeconds: number };

/** How late a slot may fire and still count as on time. */
export const DEFAULT_GRACE_MS = 60_000;

export interface FirePlanInput {
  timing: ScheduleTiming;
  missed: MissedPolicy;
  /** Every slot at or before this was already looked at (fired or skipped). */
  cursor: Date;
  now: Date;
  graceMs?: number;
}

export interface FirePlan {
  /** Slots to fire now, oldest first. */
  fire: Date[];
  /** How many due slots the policy dropped (counted up to `MAX_SLOTS_PER_CALL`). */
  skipped: number;
  /** The new cursor: every slot up to `now` has been decided. */
  cursor: Date;
  /** The next slot after `now`, undefined when the schedule will never fire again. */
  next: Date | undefined;
}

export function planFires({ timing, missed, cursor, now, graceMs = DEFAULT_GRACE_MS }: FirePlanInput): FirePlan {
  const onTimeFrom = new Date(Math.max(cursor.getTime(), now.getTime() - graceMs));
  const onTime = slotsBetween(timing, onTimeFrom, now);
  const missedFrom = cursor;
  const missedUntil = onTimeFrom;
  const fire = [...missedToFire(timing, missed, { from: missedFrom, until: missedUntil, now }, onTime.length > 0), ...onTime];
  const missedCount = missedUntil > missedFrom ? slotsBetween(timing, missedFrom, missedUntil).length : 0;
  return {
    fire,
    skipped: Math.max(0, missedCount - (fire.length - onTime.length)),
    cursor: now,
    next: slotsAfter(timing, now, 1)[0],
  };
}

/** The missed slots in `(from, until]` that the policy fires; a catch-up window counts back from `now`. */
function missedToFire(
  timing: ScheduleTiming,
  policy: MissedPolicy,
  { from, until, now }: { from: Date; until: Date; now: Date },
  anyOnTime: boolean,
): Date[] {
  if (until <= from) return [];
  switch (policy.kind) {
    case 'skip':
      return [];
    case 'run_once': {
      if (anyOnTime) return [];
      const latest = latestSlotAtOrBefore(timing, until);
      return latest && latest > from ? [latest] : [];
    }
    case 'catch_up': {
      const windowStart = new Date(Math.max(from.getTime(), now.getTime() - policy.windowSeconds * 1000));
      const inWindow = slotsBetween(timing, windowStart, until, MAX_SLOTS_PER_CALL);
      return inWindow.slice(Math.max(0, inWindow.length - policy.maxRuns));
    }
    default:
      return assertNever(policy);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
