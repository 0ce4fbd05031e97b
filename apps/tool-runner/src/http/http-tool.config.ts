import { z } from 'zod';
import { Limits } from '@flowstack/contracts';

/** An inline `http` tool after its templates are rendered (ARCHITECTURE.md section 6). */
export const httpToolSchema = z.object({
  kind: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  body: z.unknown().optional(),
  timeoutMs: z.number().int().positive().max(300_000).default(30_000),
  /** When false, a non-2xx answer is an output like any other instead of failing the node. */
  failOnHttpError: z.boolean().default(true),
  /**
   * Bodies larger than this fail the node (`response_too_large`) while they are read. Never above
   * `Limits.maxValueBytes`, whatever is configured (older configs may say up to 50 MB).
   */
  maxResponseBytes: z.number().int().positive().max(50_000_000).default(Limits.maxValueBytes),
});
export type HttpToolConfig = z.infer<typeof httpToolSchema>;
