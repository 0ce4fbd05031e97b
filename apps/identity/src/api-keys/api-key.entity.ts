import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import { ROLES } from '../workspaces/membership.entity';
import { Workspace } from '../workspaces/workspace.entity';

const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  schema: 'identity',
  tableName: 'api_keys',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspace: () => p.manyToOne(Workspace),
    name: p.string(),
    /** `fsk_<8 hex>`: shown in lists. */
    prefix: p.string(),
    /** HMAC-SHA256 of the whole key under the pepper (hex); never leaves this service but to the auth feed. */
    keyHash: p.string().hidden(),
    role: p.enum(ROLES),
    createdBy: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
    lastUsedAt: p.datetime().nullable(),
  },
});

/** A workspace-scoped credential for scripts and integrations, acting with `role`. */
export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
