/**
 * Answer shapes of the public API, written once in zod like the request shapes (`api-schemas.ts`)
 * so the OpenAPI document describes both from one source. Nothing parses answers at run time:
 * these document what the gateway returns (the `*View` interfaces of `rpc-payloads.ts`).
 */
import { z } from 'zod';
import { graphSchema } from './api-schemas';

const roleSchema = z.enum(['admin', 'editor', 'viewer']);
const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string().optional() });
const workspaceSchema = z.object({ id: z.string(), name: z.string(), role: roleSchema.optional() });

/** `POST /auth/register` (with `workspace`) and `POST /auth/login` (with `workspaces`). */
export const authResultSchema = z.object({
  token: z.string().describe('bearer token: send it as `Authorization: Bearer <token>`'),
  user: userSchema,
  workspace: workspaceSchema.optional(),
  workspaces: z.array(workspaceSchema).optional(),
});

/** `GET /auth/me`: who the token belongs to and the workspaces they are a member of. */
export const meSchema = z.looseObject({ user: userSchema.optional(), workspaces: z.array(workspaceSchema).optional() });

export const workflowViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  version: z.number().int(),
  graph: graphSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One saved version of a workflow with its graph (`GET /workflows/{id}/versions/{n}`). */
export const workflowVersionViewSchema = z.object({
  workflowId: z.string(),
  version: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  graph: graphSchema,
  createdAt: z.string(),
  createdBy: z.string(),
});

/** One item of `GET /workflows/{id}/versions`: what the version is, without its graph. */
export const workflowVersionSummarySchema = z.object({
  version: z.number().int(),
  name: z.string(),
  description: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
});

/** A cursor page: `nextCursor` is null on the last page, otherwise the `cursor` of the next one. */
export const pageSchemaOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Over its workspace's running limit a run waits: `status: 'pending'` and its place (1 = next). */
export const executionQueueSchema = z.object({ position: z.number().int(), queuedAt: z.string() });

export const startExecutionResultSchema = z.object({
  executionId: z.string(),
  status: z.string(),
  queue: executionQueueSchema.optional(),
});

const nodeErrorSchema = z.looseObject({ code: z.string(), message: z.string() });

export const executionViewSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  status: z.enum(['pending', 'running', 'awaiting_approval', 'completed', 'failed', 'cancelled']),
  input: z.unknown(),
  output: z.unknown(),
  error: nodeErrorSchema.optional(),
  nodes: z.record(
    z.string(),
    z.object({
      status: z.string(),
      attempts: z.number().int(),
      output: z.unknown().optional(),
      error: nodeErrorSchema.optional(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
      durationMs: z.number().optional(),
      nextAttempt: z.object({ attempt: z.number().int(), dueAt: z.string() }).optional(),
      approval: z
        .object({
          prompt: z.string(),
          approverRole: z.enum(['viewer', 'editor', 'admin']),
          requestedAt: z.string(),
          dueAt: z.string().optional(),
          onTimeout: z.enum(['approved', 'rejected']).optional(),
        })
        .optional(),
      copiedFrom: z.object({ executionId: z.string(), seq: z.number().int() }).optional(),
    }),
  ),
  totalCost: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  durationMs: z.number().optional(),
  cancellation: z.object({ by: z.string(), reason: z.string().nullable() }).optional(),
  deletedAt: z.string().optional(),
  retries: z.number().int().optional(),
  forkedFrom: z.object({ executionId: z.string(), fromNodeId: z.string() }).optional(),
  parent: z
    .object({ executionId: z.string(), nodeId: z.string(), attempt: z.number().int(), depth: z.number().int() })
    .optional(),
  children: z
    .array(
      z.object({
        nodeId: z.string(),
        attempt: z.number().int(),
        executionId: z.string(),
        workflowId: z.string(),
        workflowVersion: z.number().int(),
        status: z.enum(['running', 'completed', 'failed', 'cancelled']),
        startedAt: z.string(),
      }),
    )
    .optional(),
  queue: executionQueueSchema.optional(),
});

/** `POST /executions/{id}/fork`: the new execution (202). */
export const forkExecutionResultSchema = z.object({
  executionId: z.string(),
  status: z.string(),
  forkedFrom: z.object({ executionId: z.string(), fromNodeId: z.string() }),
  copiedNodes: z.array(z.string()),
});

export const storedEventSchema = z.object({
  seq: z.number().int(),
  type: z.string(),
  data: z.unknown(),
  metadata: z.record(z.string(), z.unknown()),
  recordedAt: z.string(),
});

export const deadLetterPageSchema = pageSchemaOf(
  z.object({
    id: z.string(),
    source: z.enum(['results', 'work', 'relay']),
    stream: z.string(),
    consumer: z.string(),
    sequence: z.number().int(),
    subject: z.string(),
    executionId: z.string().optional(),
    taskId: z.string().optional(),
    nodeId: z.string().optional(),
    error: z.string(),
    deliveries: z.number().int(),
    payloadBytes: z.number().int(),
    payloadPrefix: z.string(),
    recordedAt: z.string(),
  }),
).extend({ total: z.number().int() });

export const healthSchema = z.object({ status: z.string() });

/** RFC 9457 problem document (`application/problem+json`), every error answer of the API. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  code: z.string().describe('machine-readable error code, e.g. `validation_failed`, `not_found`'),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        rule: z.string().optional(),
        nodeId: z.string().optional(),
        edge: z.object({ from: z.string(), to: z.string() }).optional(),
      }),
    )
    .optional(),
  correlationId: z.string().optional(),
});
