import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';

const WebhookSchema = defineEntity({
  name: 'Webhook',
  schema: 'scheduler',
  tableName: 'webhooks',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspaceId: p.uuid(),
    workflowId: p.uuid(),
    /** A pinned version; null runs the current one. */
    workflowVersion: p.integer().nullable(),
    /** `hmac`: calls are signed with the secret; `token`: calls carry the secret itself. */
    auth: p.enum(['hmac', 'token'] as const),
    /** The secret of a webhook made before secrets were sealed; null since. */
    secret: p.text().nullable(),
    /** The HMAC key or token, sealed with the master key; answered once, at creation. */
    sealedSecret: p.text().nullable(),
    /** A disabled webhook refuses every call (`conflict`, after its signature or token checked out). */
    enabled: p.boolean().default(true),
    createdBy: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

/** A webhook: a URL whose signed calls start a workflow with the body as input. */
export class Webhook extends WebhookSchema.class {}
WebhookSchema.setClass(Webhook);
