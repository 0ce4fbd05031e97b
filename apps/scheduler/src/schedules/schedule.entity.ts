import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';

const ScheduleSchema = defineEntity({
  name: 'Schedule',
  schema: 'scheduler',
  tableName: 'schedules',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    /** The owning tenant; every query filters on it, from the request header, never the body. */
    workspaceId: p.uuid(),
    workflowId: p.uuid(),
    /** A pinned version; null runs the workflow's current version at each fire (`latest`). */
    workflowVersion: p.integer().nullable(),
    kind: p.enum(['cron', 'interval', 'once'] as const),
    cron: p.text().nullable(),
    timezone: p.text().nullable(),
    everySeconds: p.integer().nullable(),
    anchor: p.datetime().nullable(),
    at: p.datetime().nullable(),
    input: p.json<unknown>(),
    enabled: p.boolean(),
    missedPolicy: p.enum(['skip', 'run_once', 'catch_up'] as const),
    missedMaxRuns: p.integer().nullable(),
    missedWindowSeconds: p.integer().nullable(),
    overlap: p.enum(['allow', 'skip', 'buffer_one'] as const),
    /** Every slot at or before this has been decided (fired, skipped or buffered). */
    fireCursor: p.datetime(),
    /** When the loop next looks at the schedule; null when it will never fire again. */
    nextFireAt: p.datetime().nullable(),
    /** A fire waiting for the running one to end (`overlap: buffer_one`). */
    bufferedSlot: p.datetime().nullable(),
    createdBy: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate((s: { createdAt?: Date }) => s.createdAt ?? new Date())
      .onUpdate(() => new Date()),
    /** Set by delete; a deleted schedule answers `not_found` and never fires. */
    deletedAt: p.datetime().nullable(),
  },
});

/** A schedule: when a workflow runs (cron, interval or once) and what a late or overlapping fire does. */
export class Schedule extends ScheduleSchema.class {}
ScheduleSchema.setClass(Schedule);
