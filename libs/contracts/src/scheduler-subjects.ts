/**
 * The scheduler's request-reply subjects (queue group `scheduler`), kept in a file of their own so
 * the `Rpc` table gains one line. Every body is scoped by the workspace in the headers.
 */
export const SchedulerRpc = {
  /** `CreateScheduleRequest` -> `ScheduleView`. */
  scheduleCreate: 'scheduler.schedule.create',
  /** `{ id }` -> `ScheduleView`. */
  scheduleGet: 'scheduler.schedule.get',
  /** `{ limit, cursor? }` -> `Page<ScheduleView>`, newest first. */
  scheduleList: 'scheduler.schedule.list',
  /** `{ id, ...UpdateScheduleRequest }` -> `ScheduleView`. */
  scheduleUpdate: 'scheduler.schedule.update',
  /** `{ id }` -> `{ id, deleted: true }` (soft delete). */
  scheduleDelete: 'scheduler.schedule.delete',
  /** `{ id }` -> `ScheduleView` with `enabled: false`. */
  schedulePause: 'scheduler.schedule.pause',
  /** `{ id }` -> `ScheduleView` with `enabled: true`; slots missed while paused never fire. */
  scheduleResume: 'scheduler.schedule.resume',
  /** `{ id, count }` -> `{ times }`: the next fire times. */
  scheduleNext: 'scheduler.schedule.next',
  /** `{ id, limit, cursor? }` -> `Page<FireView>`, newest slot first. */
  scheduleHistory: 'scheduler.schedule.history',
} as const;

/** The scheduler's webhook subjects. */
export const WebhookRpc = {
  /** `CreateWebhookRequest` -> `CreatedWebhookView` (the only answer that carries the secret). */
  webhookCreate: 'scheduler.webhook.create',
  /** `{ id }` -> `WebhookView`. */
  webhookGet: 'scheduler.webhook.get',
  /** `{ id }` -> `{ id, deleted: true }`. */
  webhookDelete: 'scheduler.webhook.delete',
  /**
   * A call of `POST /hooks/{id}` (no workspace header: the webhook names it):
   * `{ id, body (the raw UTF-8 text), timestamp?, signature? }` -> `{ executionId, status }`.
   */
  hookCall: 'scheduler.hook.call',
} as const;
