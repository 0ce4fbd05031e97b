/**
 * The scheduler's public shapes (`/api/v1/schedules`): requests parsed once at the gateway and
 * again by the scheduler on its side of the bus, and the views it answers. Timing rules that need
 * a clock or a cron parser (a one-shot in the past, an unknown time zone, a cron that never fires)
 * are the scheduler domain's `timingProblems`; here is only the shape.
 */
import { z } from 'zod';
import { MAX_WORKFLOW_VERSION, listQuerySchema } from './api-schemas';

export const SCHEDULE_KINDS = ['cron', 'interval', 'once'] as const;
export const OVERLAP_POLICIES = ['allow', 'skip', 'buffer_one'] as const;
export const MISSED_POLICIES = ['skip', 'run_once', 'catch_up'] as const;

/** The most slots one catch-up may fire, and the widest window it may look back over (7 days). */
export const MAX_CATCH_UP_RUNS = 100;
export const MAX_CATCH_UP_WINDOW_SECONDS = 7 * 24 * 3600;

const missedSchema = z
  .object({
    policy: z.enum(MISSED_POLICIES),
    maxRuns: z.number().int().min(1).max(MAX_CATCH_UP_RUNS).optional(),
    windowSeconds: z.number().int().min(1).max(MAX_CATCH_UP_WINDOW_SECONDS).optional(),
  })
  .strict();

const versionSchema = z.union([z.number().int().min(1).max(MAX_WORKFLOW_VERSION), z.literal('latest')]);

/** The fields every schedule has; `kind` says which of `cron`, `everySeconds` and `at` apply. */
const scheduleFields = {
  workflowId: z.string().min(1).max(200),
  /** A pinned version, or `latest` (the default): the workflow's current version at each fire. */
  version: versionSchema.optional(),
  kind: z.enum(SCHEDULE_KINDS),
  /** Five fields (minute hour day-of-month month day-of-week) or a nickname (`@daily`); no seconds. */
  cron: z.string().min(1).max(200).optional(),
  /** IANA time zone of a cron schedule (default `UTC`). */
  timezone: z.string().min(1).max(100).optional(),
  /** Seconds between fires of an interval schedule (at least 10). */
  everySeconds: z.number().int().optional(),
  /** ISO-8601 instant of a one-shot; must be in the future. */
  at: z.string().max(100).optional(),
  /** The input of every run, checked against the workflow's input_schema when it fires. */
  input: z.unknown().optional(),
  enabled: z.boolean().optional(),
  missed: missedSchema.optional(),
  overlap: z.enum(OVERLAP_POLICIES).optional(),
};

/** `POST /api/v1/schedules`. */
export const createScheduleSchema = z.object(scheduleFields).strict();
export type CreateScheduleRequest = z.infer<typeof createScheduleSchema>;

/**
 * `PATCH /api/v1/schedules/{id}`: any of the create fields but `workflowId`; the merged schedule
 * is checked as a whole (changing `kind` needs its timing field too).
 */
export const updateScheduleSchema = z
  .object(scheduleFields)
  .omit({ workflowId: true })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateScheduleRequest = z.infer<typeof updateScheduleSchema>;

/** `GET /api/v1/schedules/{id}/next?count=`: 1 to 100 upcoming fire times (default 5). */
export const nextFiresQuerySchema = z.object({ count: z.coerce.number().int().min(1).max(100).default(5) });

/** `GET /api/v1/schedules/{id}/history`: newest slot first; `cursor` is the previous page's `nextCursor`. */
export const fireHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(100).optional(),
});

export const scheduleViewSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: versionSchema,
  kind: z.enum(SCHEDULE_KINDS),
  cron: z.string().optional(),
  timezone: z.string().optional(),
  everySeconds: z.number().int().optional(),
  /** Interval schedules fire at `anchor + k * everySeconds` (the creation time unless changed). */
  anchor: z.string().optional(),
  at: z.string().optional(),
  input: z.unknown(),
  enabled: z.boolean(),
  missed: z.object({ policy: z.enum(MISSED_POLICIES), maxRuns: z.number().optional(), windowSeconds: z.number().optional() }),
  overlap: z.enum(OVERLAP_POLICIES),
  /** The next slot the schedule fires at; null when paused or when a one-shot has fired. */
  nextFireAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

export const FIRE_OUTCOMES = ['started', 'skipped_overlap', 'buffered', 'failed'] as const;
export type FireOutcome = (typeof FIRE_OUTCOMES)[number];

/** One fire of a schedule: the slot it was due at, when it fired, its execution and what happened. */
export const fireViewSchema = z.object({
  slot: z.string(),
  firedAt: z.string(),
  executionId: z.string().nullable(),
  outcome: z.enum(FIRE_OUTCOMES),
  error: z.string().optional(),
});
export type FireView = z.infer<typeof fireViewSchema>;

export const nextFiresSchema = z.object({ times: z.array(z.string()) });

export const WEBHOOK_AUTH_MODES = ['hmac', 'token'] as const;

/** `POST /api/v1/webhooks`: the workflow a signed call of the hook starts, with the body as input. */
export const createWebhookSchema = z
  .object({
    workflowId: z.string().min(1).max(200),
    version: versionSchema.optional(),
    /**
     * How callers authenticate: `hmac` (default) signs each body (`X-Flowstack-Timestamp`,
     * `X-Flowstack-Signature`); `token` sends the secret itself in `X-Flowstack-Token`, for senders
     * that cannot sign (no replay protection: prefer `hmac`).
     */
    auth: z.enum(WEBHOOK_AUTH_MODES).optional(),
  })
  .strict();
export type CreateWebhookRequest = z.infer<typeof createWebhookSchema>;

/**
 * `GET /api/v1/webhooks`: the list page of `listQuerySchema` (newest first, cursor from the last
 * page), narrowed to one workflow's webhooks by `workflowId`.
 */
export const listWebhooksQuerySchema = listQuerySchema.extend({
  workflowId: z.uuid('must be the id (uuid) of a workflow').optional(),
});
export type ListWebhooksQuery = z.infer<typeof listWebhooksQuerySchema>;

export const webhookViewSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: versionSchema,
  /** Path to POST to, signed: `X-Flowstack-Timestamp` and `X-Flowstack-Signature: v1=<hex HMAC>`. */
  url: z.string(),
  auth: z.enum(WEBHOOK_AUTH_MODES),
  /** A disabled webhook answers its calls 409 and starts nothing. */
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;

/** The answer of create: the view and, this once only, the signing secret. */
export const createdWebhookViewSchema = webhookViewSchema.extend({
  secret: z.string().describe('HMAC-SHA256 key of the signatures (or the token of `auth: token`); shown only in this answer'),
});
export type CreatedWebhookView = z.infer<typeof createdWebhookViewSchema>;

/** `PATCH /api/v1/webhooks/{id}`: enable or disable it, and/or replace its secret. */
export const updateWebhookSchema = z
  .object({
    enabled: z.boolean().optional(),
    /** `true`: a new secret replaces the old one at once (calls signed with the old one answer 401). */
    rotateSecret: z.literal(true).optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateWebhookRequest = z.infer<typeof updateWebhookSchema>;

/** The answer of a change: the view, and after a rotation, this once only, the new secret. */
export const updatedWebhookViewSchema = webhookViewSchema.extend({
  secret: z.string().optional().describe('the new secret, only in the answer of a rotation'),
});
export type UpdatedWebhookView = z.infer<typeof updatedWebhookViewSchema>;
