import { z } from 'zod';
import { MAX_WORKFLOW_VERSION, updateWorkflowSchema } from '@flowstack/contracts';

/** `{ id }` of get and delete. Any string: an id that is not a uuid answers `not_found`, like an unknown one. */
export const workflowIdSchema = z.object({ id: z.string().max(200) });

/** `registry.workflow.update`: the id plus the contract's update body. */
export const updateWorkflowRequestSchema = z.intersection(workflowIdSchema, updateWorkflowSchema);

/** `registry.workflow.version.get`: `version` absent means the current one. */
export const workflowVersionGetSchema = z.object({
  workflowId: z.string().max(200),
  version: z.number().int().positive().optional(),
});

/** `registry.workflow.versions.list`: the gateway's parsed query, checked again on this side of the bus. */
export const workflowVersionsListSchema = z.object({
  workflowId: z.string().max(200),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.number().int().positive().max(MAX_WORKFLOW_VERSION).optional(),
});
