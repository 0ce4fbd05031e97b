import { z } from 'zod';
import { updateWorkflowSchema } from '@flowstack/contracts';

/** `{ id }` of get and delete. Any string: an id that is not a uuid answers `not_found`, like an unknown one. */
export const workflowIdSchema = z.object({ id: z.string().max(200) });

/** `registry.workflow.update`: the id plus the contract's update body. */
export const updateWorkflowRequestSchema = z.intersection(workflowIdSchema, updateWorkflowSchema);

/** `registry.workflow.version.get`: `version` absent means the current one. */
export const workflowVersionGetSchema = z.object({
  workflowId: z.string().max(200),
  version: z.number().int().positive().optional(),
});
