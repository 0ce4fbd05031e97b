import { z } from 'zod';

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
  /** Bodies larger than this fail the node instead of filling the event log. */
  maxResponseBytes: z.number().int().positive().max(50_000_000).default(5_000_000),
});
export type HttpToolConfig = z.infer<typeof httpToolSchema>;
