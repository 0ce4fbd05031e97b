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
  /** `ListWebhooksQuery` (`{ limit, cursor?, workflowId? }`) -> `Page<WebhookView>`, newest first; never a secret. */
  webhookList: 'scheduler.webhook.list',
  /** `{ id, ...UpdateWebhookRequest }` -> `UpdatedWebhookView` (with `secret` after a rotation, only then). */
  webhookUpdate: 'scheduler.webhook.update',
  /** `{ id }` -> `{ id, deleted: true }`. */
  webhookDelete: 'scheduler.webhook.delete',
  /**
   * A call of `POST /hooks/{id}` (no workspace header: the webhook names it):
   * `{ id, body (the raw UTF-8 text), timestamp?, signature? }` -> `{ executionId, status }`.
   */
  hookCall: 'scheduler.hook.call',
} as const;

/** The scheduler's event trigger subjects (`trigger-schemas.ts`). */
export const TriggerRpc = {
  /** `CreateTriggerRequest` -> `TriggerView`. */
  triggerCreate: 'scheduler.trigger.create',
  /** `{ id }` -> `TriggerView`. */
  triggerGet: 'scheduler.trigger.get',
  /** `{ limit, cursor? }` -> `Page<TriggerView>`, newest first. */
  triggerList: 'scheduler.trigger.list',
  /** `{ id, ...UpdateTriggerRequest }` -> `TriggerView`. */
  triggerUpdate: 'scheduler.trigger.update',
  /** `{ id }` -> `{ id, deleted: true }`. */
  triggerDelete: 'scheduler.trigger.delete',
  /** `{ id, limit, cursor? }` -> `Page<TriggerFireView>`, newest first. */
  triggerHistory: 'scheduler.trigger.history',
} as const;

/** The scheduler's run notification subjects (`trigger-schemas.ts`). */
export const NotificationRpc = {
  /** `CreateNotificationRequest` -> `NotificationView`. */
  notificationCreate: 'scheduler.notification.create',
  /** `{ id }` -> `NotificationView`. */
  notificationGet: 'scheduler.notification.get',
  /** `{ limit, cursor? }` -> `Page<NotificationView>`, newest first. */
  notificationList: 'scheduler.notification.list',
  /** `{ id, ...UpdateNotificationRequest }` -> `NotificationView`. */
  notificationUpdate: 'scheduler.notification.update',
  /** `{ id }` -> `{ id, deleted: true }`. */
  notificationDelete: 'scheduler.notification.delete',
  /** `{ id, limit, cursor? }` -> `Page<DeliveryView>`, newest first. */
  notificationDeliveries: 'scheduler.notification.deliveries',
} as const;
