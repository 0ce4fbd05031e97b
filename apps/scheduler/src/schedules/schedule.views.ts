import type { FireView, ScheduleView } from '@flowstack/contracts';
import type { Schedule } from './schedule.entity';
import type { ScheduleFire } from './schedule-fire.entity';

/** A schedule as callers see it. */
export const toScheduleView = (s: Schedule): ScheduleView => ({
  id: s.id,
  workflowId: s.workflowId,
  version: s.workflowVersion ?? 'latest',
  kind: s.kind,
  ...(s.cron != null ? { cron: s.cron } : {}),
  ...(s.timezone != null ? { timezone: s.timezone } : {}),
  ...(s.everySeconds != null ? { everySeconds: s.everySeconds } : {}),
  ...(s.anchor != null ? { anchor: s.anchor.toISOString() } : {}),
  ...(s.at != null ? { at: s.at.toISOString() } : {}),
  input: s.input,
  enabled: s.enabled,
  missed: {
    policy: s.missedPolicy,
    ...(s.missedMaxRuns != null ? { maxRuns: s.missedMaxRuns } : {}),
    ...(s.missedWindowSeconds != null ? { windowSeconds: s.missedWindowSeconds } : {}),
  },
  overlap: s.overlap,
  nextFireAt: s.enabled && s.nextFireAt ? s.nextFireAt.toISOString() : null,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export const toFireView = (f: ScheduleFire): FireView => ({
  slot: f.slot.toISOString(),
  firedAt: f.firedAt.toISOString(),
  executionId: f.executionId ?? null,
  outcome: f.outcome,
  ...(f.error != null ? { error: f.error } : {}),
});
