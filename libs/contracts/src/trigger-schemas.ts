/**
 * Event triggers (`/api/v1/triggers`) and run notifications (`/api/v1/notifications`): the shapes
 * the gateway parses and the scheduler answers. The scheduler observes every execution's outcome
 * (`ExecutionCompleted`, `ExecutionFailed` on EVENTS) and acts on each exactly once.
 */
import { z } from 'zod';
import { MAX_WORKFLOW_VERSION } from './api-schemas';

/** The outcomes of a source run a trigger or a notification can react to. */
export const RUN_OUTCOMES = ['completed', 'failed'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/**
 * How many triggered runs may chain (X starts Y starts Z ...): a run started by a trigger carries
 * `trigger.depth` (the source's depth + 1; a run started any other way has depth 0), and a trigger
 * whose run would be deeper than this is refused (`depth_exceeded` in its history). Stops loops.
 */
export const MAX_TRIGGER_DEPTH = 5;

const versionSchema = z.union([z.number().int().min(1).max(MAX_WORKFLOW_VERSION), z.literal('latest')]);
const outcomesSchema = z
  .array(z.enum(RUN_OUTCOMES))
  .min(1)
  .max(2)
  .refine((v) => new Set(v).size === v.length, { message: 'each outcome at most once' });
/** A JSONata expression (the language of transform nodes), bounded like theirs. */
const expressionSchema = z.string().min(1).max(4000);

/** `POST /api/v1/triggers`. */
export const createTriggerSchema = z
  .object({
    /** The workflow whose runs are watched. */
    sourceWorkflowId: z.string().min(1).max(200),
    /** Which outcomes fire it (default `["completed"]`). */
    on: outcomesSchema.optional(),
    /**
     * Optional JSONata over the source run (`execution.{id, workflowId, status, input, output, error,
     * durationMs}`, also bound as `input`, `output`, `error`, `status`): the trigger fires only when true.
     */
    condition: expressionSchema.optional(),
    /** The workflow to start. */
    targetWorkflowId: z.string().min(1).max(200),
    /** A pinned version of the target, or `latest` (default). */
    targetVersion: versionSchema.optional(),
    /** JSONata that maps the source run (same scope as `condition`) to the target's input (default `output`). */
    input: expressionSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type CreateTriggerRequest = z.infer<typeof createTriggerSchema>;

/** `PATCH /api/v1/triggers/{id}`: `null` clears `condition` or `input`. */
export const updateTriggerSchema = z
  .object({
    on: outcomesSchema.optional(),
    condition: expressionSchema.nullable().optional(),
    targetVersion: versionSchema.optional(),
    input: expressionSchema.nullable().optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateTriggerRequest = z.infer<typeof updateTriggerSchema>;

export const triggerViewSchema = z.object({
  id: z.string(),
  sourceWorkflowId: z.string(),
  on: z.array(z.enum(RUN_OUTCOMES)),
  condition: z.string().nullable(),
  targetWorkflowId: z.string(),
  targetVersion: versionSchema,
  input: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TriggerView = z.infer<typeof triggerViewSchema>;

export const TRIGGER_FIRE_RESULTS = ['started', 'condition_false', 'depth_exceeded', 'failed'] as const;
export type TriggerFireResult = (typeof TRIGGER_FIRE_RESULTS)[number];

/** What a trigger did about one source run's outcome (`GET /api/v1/triggers/{id}/history`). */
export const triggerFireViewSchema = z.object({
  sourceExecutionId: z.string(),
  sourceOutcome: z.enum(RUN_OUTCOMES),
  result: z.enum(TRIGGER_FIRE_RESULTS),
  /** The started run (its id is derived from (trigger, source run)); null unless `started`. */
  executionId: z.string().nullable(),
  /** The depth of the started (or refused) run. */
  depth: z.number().int(),
  error: z.string().nullable(),
  firedAt: z.string(),
});
export type TriggerFireView = z.infer<typeof triggerFireViewSchema>;

export const NOTIFICATION_CHANNELS = ['slack', 'discord', 'generic'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

const webhookUrlSchema = z
  .string()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: 'must be an http or https URL' });

/** `POST /api/v1/notifications`: POST to a Slack, Discord or generic webhook when runs of a workflow end. */
export const createNotificationSchema = z
  .object({
    workflowId: z.string().min(1).max(200),
    channel: z.enum(NOTIFICATION_CHANNELS),
    /** The receiver's URL; stored sealed (it is a credential: Slack and Discord URLs carry their token), never answered. */
    url: webhookUrlSchema,
    /** Default: both. */
    on: outcomesSchema.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type CreateNotificationRequest = z.infer<typeof createNotificationSchema>;

export const updateNotificationSchema = z
  .object({ url: webhookUrlSchema.optional(), on: outcomesSchema.optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to update' });
export type UpdateNotificationRequest = z.infer<typeof updateNotificationSchema>;

export const notificationViewSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  channel: z.enum(NOTIFICATION_CHANNELS),
  /** Only the receiver's host: the URL itself is a secret. */
  host: z.string(),
  on: z.array(z.enum(RUN_OUTCOMES)),
  enabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;

/** One notification of one run's outcome, with its attempts (`GET /api/v1/notifications/{id}/deliveries`). */
export const deliveryViewSchema = z.object({
  id: z.string(),
  executionId: z.string(),
  outcome: z.enum(RUN_OUTCOMES),
  /** `pending` (retrying with backoff), `delivered` (a 2xx answer), `failed` (attempts spent or refused). */
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.array(z.object({ at: z.string(), status: z.number().int().nullable(), error: z.string().nullable() })),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
});
export type DeliveryView = z.infer<typeof deliveryViewSchema>;
