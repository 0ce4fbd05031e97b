/** API keys (identity owns them): request bodies, answers and the `Rpc.apiKeys` payloads. */
import { z } from 'zod';
import { roleSchema } from './workspace-schemas';

/** `POST /workspaces/{id}/api-keys`: a name, the key's role (at most the creator's), an optional expiry. */
export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: roleSchema,
  /** ISO 8601 date-time in the future; absent: the key does not expire. */
  expiresAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time' })
    .refine((v) => Date.parse(v) > Date.now(), { message: 'must be in the future' })
    .optional(),
});
export type CreateApiKeyRequest = z.infer<typeof createApiKeySchema>;

export const apiKeyParamsSchema = z.object({ keyId: z.uuid({ message: 'must be a uuid' }) });

export const apiKeyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The visible part, `fsk_<prefix>_…`, to recognise a key by. */
  prefix: z.string(),
  role: roleSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;
/** The answer to a create: the key itself, this once (identity keeps only its keyed hash). */
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() });
export type CreatedApiKeyView = z.infer<typeof createdApiKeySchema>;
export const apiKeyListSchema = z.object({ items: z.array(apiKeyViewSchema) });

/** `Rpc.apiKeys.touch`: a gateway's batch of last uses (one request per flush, not per call). */
export const apiKeyTouchSchema = z.object({
  items: z.array(z.object({ keyId: z.uuid(), usedAt: z.iso.datetime({ offset: true }) })).max(10_000),
});
