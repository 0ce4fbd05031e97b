import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import type { NotificationChannel, RunOutcome } from '@flowstack/contracts';

const NotificationSchema = defineEntity({
  name: 'Notification',
  schema: 'scheduler',
  tableName: 'notifications',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspaceId: p.uuid(),
    workflowId: p.uuid(),
    channel: p.enum(['slack', 'discord', 'generic'] as const).$type<NotificationChannel>(),
    /** The receiver's URL sealed with the master key (`@flowstack/vault`): Slack and Discord URLs are credentials. */
    sealedUrl: p.text(),
    /** The URL's host, the only part answered. */
    host: p.text(),
    onOutcomes: p.json<RunOutcome[]>(),
    enabled: p.boolean(),
    createdBy: p.string(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});

/** A run notification: POST to a Slack, Discord or generic webhook when a run of the workflow ends. */
export class Notification extends NotificationSchema.class {}
NotificationSchema.setClass(Notification);
