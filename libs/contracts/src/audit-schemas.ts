import { z } from 'zod';

/**
 * The audit log's streams: identity's, the registry's, the scheduler's and billing's ledgers
 * (`credits-<workspaceId>`: grants, holds, refusals, charges, releases, expiries), never
 * executions' (those are `GET /executions/{id}/events` and `/export`).
 */
export const AUDIT_STREAM_CATEGORIES = [
  'user',
  'workspace',
  'workflow',
  'credential',
  'agent',
  'tool',
  'schedule',
  'webhook',
  'credits',
  'trigger',
  'notification',
] as const;

/** Identity's audit subject (queue group `identity`): `AuditQuery` in the context's workspace -> `AuditPage`. */
export const AuditRpc = { auditList: 'identity.audit.list' } as const;

/** `GET /api/v1/audit`: filters and keyset paging, newest first. */
export const auditQuerySchema = z.object({
  type: z
    .string()
    .regex(/^[A-Z][A-Za-z]{1,80}$/, 'an event type such as MemberInvited')
    .optional(),
  actor: z.string().min(1).max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'a cursor from a previous page')
    .optional(),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

export const auditEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  stream: z.string(),
  data: z.record(z.string(), z.unknown()),
  actor: z.looseObject({ id: z.string(), type: z.string() }).nullable(),
  correlationId: z.string().nullable(),
  recordedAt: z.string(),
});
export const auditPageSchema = z.object({ items: z.array(auditEventSchema), nextCursor: z.string().nullable() });
export type AuditPage = z.output<typeof auditPageSchema>;
