/**
 * Request shapes, validated once at the edge (the gateway) with zod, the one schema library of the
 * repo, and passed inward as plain typed objects. The graph itself is checked structurally here and
 * semantically (DAG, entry point, node types...) by `@flowstack/workflow`'s `validateGraph`.
 */
import { z } from 'zod';
import { NODE_TYPES } from './graph';
import { graphDefaultsSchema } from './retry-policy';

export const registerSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(8, 'must be at least 8 characters').max(200),
  name: z.string().trim().min(1).max(200).optional(),
});
export type RegisterRequest = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof loginSchema>;

const nodeSchema = z.object({
  id: z.string().min(1).max(128),
  // Unknown types pass here so that graph validation can name the node in its own error.
  type: z.string().min(1),
  label: z.string().max(200).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

const edgeSchema = z.object({
  from: z.string().min(1),
  to: z.string().min(1),
  when: z.string().optional(),
});

export const graphSchema = z.object({
  nodes: z.array(nodeSchema).min(1, 'a workflow needs at least one node').max(1000),
  edges: z.array(edgeSchema).max(5000).default([]),
  entry_point: z.string().min(1),
  input_schema: z.record(z.string(), z.unknown()).optional(),
  defaults: graphDefaultsSchema.optional(),
});

export const createWorkflowSchema = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  graph: graphSchema,
});
export type CreateWorkflowRequest = z.infer<typeof createWorkflowSchema>;

export const updateWorkflowSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    graph: graphSchema.optional(),
  })
  .refine((v) => v.name !== undefined || v.description !== undefined || v.graph !== undefined, {
    message: 'nothing to update: give name, description or graph',
  });
export type UpdateWorkflowRequest = z.infer<typeof updateWorkflowSchema>;

export const startExecutionSchema = z.object({
  input: z.unknown().default({}),
  version: z.number().int().positive().optional(),
});
export type StartExecutionRequest = z.infer<typeof startExecutionSchema>;

export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

/** Largest stream position (`seq`) there can be: the event store's column is a Postgres `integer`. */
export const MAX_STREAM_POSITION = 2_147_483_647;

export const eventsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  /** Opaque cursor from a previous page; otherwise start after `fromSeq` (default 0: everything). */
  cursor: z
    .string()
    .refine((c) => /^\d{1,10}$/.test(c) && Number(c) <= MAX_STREAM_POSITION, 'not a cursor from a previous page')
    .optional(),
  fromSeq: z.coerce.number().int().min(0).max(MAX_STREAM_POSITION).optional(),
});

/** Highest version number there can be: the registry's column is a Postgres `integer`. */
export const MAX_WORKFLOW_VERSION = 2_147_483_647;

/**
 * A version number as it arrives in a path or a query string: decimal digits only, 1 to
 * `MAX_WORKFLOW_VERSION`. `0`, `-1`, `1.5`, `1e3`, `abc` and numbers past the column are refused,
 * never coerced to something else.
 */
const versionNumberText = z
  .string()
  .refine(
    (v) => /^[1-9][0-9]{0,9}$/.test(v) && Number(v) <= MAX_WORKFLOW_VERSION,
    `must be a whole number from 1 to ${MAX_WORKFLOW_VERSION}`,
  )
  .transform(Number);

/** `GET /api/v1/workflows/{id}/versions/{version}`: the path's version number. */
export const workflowVersionParamsSchema = z.object({ version: versionNumberText });

/** `GET /api/v1/workflows/{id}/versions`: newest first; `cursor` is the previous page's `nextCursor`. */
export const versionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: versionNumberText.optional(),
});
export type VersionsQuery = z.infer<typeof versionsQuerySchema>;

export const KNOWN_NODE_TYPES: readonly string[] = NODE_TYPES;

/** `GET /api/v1/dead-letters`: newest first; `cursor` is the previous page's `nextCursor`. */
export const deadLettersQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'a cursor is the nextCursor of a previous page')
    .optional(),
});
