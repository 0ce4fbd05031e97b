import { z } from 'zod';
import { updateToolSchema } from '@flowstack/contracts';

/** `{ id }` of get and delete; an id that is not a uuid answers `not_found`, like an unknown one. */
export const toolIdSchema = z.object({ id: z.string().max(200) });

export const updateToolRequestSchema = z.intersection(toolIdSchema, updateToolSchema);
