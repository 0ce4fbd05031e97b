/**
 * Execution history (`GET /api/v1/executions`, `GET /api/v1/workflows/{id}/executions`, `DELETE
 * /api/v1/executions/{id}`): the list query the gateway validates, the item it answers with, and
 * the orchestrator's subjects that serve them from its history projection.
 */
import { z } from 'zod';

/** `orchestrator.history.*`: served by the orchestrator's `HistoryHandlers`. */
export const ExecutionHistoryRpc = {
  /** `ExecutionHistoryQuery` -> `Page<ExecutionListItem>`, newest `startedAt` first. */
  list: 'orchestrator.history.list',
  /** `{ executionId }` -> `{ id, deletedAt }`: appends `ExecutionDeleted` (once) and hides the run. */
  delete: 'orchestrator.history.delete',
  /** `ExportEventsPayload` -> `Page<ExportedEvent>`: one execution's events as stored, for its export. */
  exportEvents: 'orchestrator.history.exportEvents',
} as const;

/** `orchestrator.history.exportEvents`: a page of the execution's stream after `afterSeq`. */
export interface ExportEventsPayload {
  executionId: string;
  /** The last `seq` of the previous page; 0 from the start. */
  afterSeq?: number;
  /** 1..1000 (500). Fewer when their bytes would not fit in one reply. */
  limit?: number;
}

/**
 * An event of an execution's stream as stored (no upcasting), with its id and schema version: what
 * the execution export writes. `data` too large for one reply is a `{ ref, size, sha256 }` reference.
 */
export interface ExportedEvent {
  seq: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

export const EXECUTION_STATUSES = ['pending', 'running', 'awaiting_approval', 'completed', 'failed', 'cancelled'] as const;
export const TRIGGER_TYPES = ['manual', 'api', 'schedule', 'webhook', 'event', 'sub_workflow'] as const;

/**
 * One or more values, comma-separated in the query string (`status=failed,cancelled`); a bad one
 * is reported at its index (`query.status[1]`).
 */
const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.enum(values)).min(1).max(values.length));

const isoTime = z.iso.datetime({ offset: true });

/** The list filters; `from` is inclusive, `to` exclusive, both on `startedAt`. */
export const executionHistoryQuerySchema = z
  .strictObject({
    workflowId: z.string().min(1).max(128).optional(),
    status: csvOf(EXECUTION_STATUSES).optional(),
    trigger: csvOf(TRIGGER_TYPES).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(200).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be later than from',
  });
export type ExecutionHistoryQuery = z.output<typeof executionHistoryQuerySchema>;

/** `GET /api/v1/workflows/{id}/executions`: the same filters without `workflowId` (the path names it). */
export const workflowExecutionsQuerySchema = z
  .strictObject({
    status: csvOf(EXECUTION_STATUSES).optional(),
    trigger: csvOf(TRIGGER_TYPES).optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().min(1).max(200).optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be later than from',
  });

/** One row of the history list. Times ISO-8601; `totalCost` in credit micro-units. */
export const executionListItemSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  status: z.enum(EXECUTION_STATUSES),
  trigger: z.object({ type: z.enum(TRIGGER_TYPES), by: z.string().nullable() }),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  totalCost: z.number(),
  errorCode: z.string().nullable(),
  parentId: z.string().nullable(),
});
export type ExecutionListItem = z.infer<typeof executionListItemSchema>;

/** `DELETE /api/v1/executions/{id}` answers 204; the RPC answers this. */
export interface ExecutionDeletedView {
  id: string;
  deletedAt: string;
}
