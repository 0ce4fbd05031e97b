import { z } from 'zod';
import { fireHistoryQuerySchema, nextFiresQuerySchema } from '@flowstack/contracts';

/** `{ id }` of get, delete, pause and resume. Any string: one that is not a uuid answers `not_found`. */
export const scheduleIdSchema = z.object({ id: z.string().max(200) });

export const nextFiresRequestSchema = z.intersection(scheduleIdSchema, nextFiresQuerySchema);

export const fireHistoryRequestSchema = z.intersection(scheduleIdSchema, fireHistoryQuerySchema);
