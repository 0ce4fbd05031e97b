import { FlowstackError, type CreateScheduleRequest, type FieldError } from '@flowstack/contracts';
import { timingProblems, type MissedPolicy, type ScheduleTiming } from '../domain';
import type { Schedule } from './schedule.entity';

/** When `missed.policy` is `catch_up` without limits: at most 10 runs from the last day. */
export const DEFAULT_CATCH_UP = { maxRuns: 10, windowSeconds: 86_400 };

/** The timing fields of a schedule, as stored. */
export interface TimingFields {
  kind: Schedule['kind'];
  cron?: string | null;
  timezone?: string | null;
  everySeconds?: number | null;
  anchor?: Date | null;
  at?: Date | null;
}

/** The domain's timing of a stored schedule (the database's checks guarantee the kind's fields). */
export function timingOf(s: TimingFields): ScheduleTiming {
  switch (s.kind) {
    case 'cron':
      return { kind: 'cron', cron: s.cron!, timezone: s.timezone! };
    case 'interval':
      return { kind: 'interval', everySeconds: s.everySeconds!, anchor: s.anchor!.toISOString() };
    case 'once':
      return { kind: 'once', at: s.at!.toISOString() };
  }
}

export function missedOf(s: Pick<Schedule, 'missedPolicy' | 'missedMaxRuns' | 'missedWindowSeconds'>): MissedPolicy {
  if (s.missedPolicy !== 'catch_up') return { kind: s.missedPolicy };
  return {
    kind: 'catch_up',
    maxRuns: s.missedMaxRuns ?? DEFAULT_CATCH_UP.maxRuns,
    windowSeconds: s.missedWindowSeconds ?? DEFAULT_CATCH_UP.windowSeconds,
  };
}

type TimingRequest = Pick<CreateScheduleRequest, 'kind' | 'cron' | 'timezone' | 'everySeconds' | 'at'>;

/**
 * The stored timing fields of a request, or `validation_failed` naming each bad field: the kind's
 * field missing, another kind's field given, then the domain's `timingProblems` (bad cron, unknown
 * zone, an interval under the minimum, a one-shot not in the future). `anchor` is kept when the
 * interval is unchanged, so an edit of something else never shifts the slots.
 */
export function checkedTiming(request: TimingRequest, now: Date, keepAnchor?: Date | null): TimingFields {
  const required: Record<TimingRequest['kind'], keyof TimingRequest> = { cron: 'cron', interval: 'everySeconds', once: 'at' };
  const problems: FieldError[] = [];
  const own = required[request.kind];
  if (request[own] === undefined) {
    problems.push({ path: own, rule: 'required', message: `a ${request.kind} schedule needs ${own}` });
  }
  for (const [kind, field] of Object.entries(required)) {
    if (kind !== request.kind && request[field] !== undefined) {
      problems.push({ path: field, rule: 'not_applicable', message: `${field} applies only to ${kind} schedules` });
    }
  }
  if (request.timezone !== undefined && request.kind !== 'cron') {
    problems.push({ path: 'timezone', rule: 'not_applicable', message: 'timezone applies only to cron schedules' });
  }
  fail(problems);
  const fields: TimingFields = {
    kind: request.kind,
    cron: request.kind === 'cron' ? request.cron!.trim() : null,
    timezone: request.kind === 'cron' ? (request.timezone ?? 'UTC') : null,
    everySeconds: request.kind === 'interval' ? request.everySeconds! : null,
    anchor: request.kind === 'interval' ? (keepAnchor ?? now) : null,
    at: null,
  };
  if (request.kind === 'once') {
    const at = Date.parse(request.at!);
    fail(timingProblems({ kind: 'once', at: request.at! }, now));
    fields.at = new Date(at);
  } else {
    fail(timingProblems(timingOf(fields), now));
  }
  return fields;
}

function fail(problems: FieldError[]): void {
  if (problems.length === 0) return;
  throw new FlowstackError(
    'validation_failed',
    `request is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    problems,
  );
}
