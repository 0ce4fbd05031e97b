import type { z } from 'zod';
import { FlowstackError, type FieldError } from '@flowstack/contracts';

/** `['graph', 'nodes', 0, 'id']` -> `graph.nodes[0].id`, the path style of `FieldError`. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');

/**
 * Validates a request body at the edge of this service and returns the schema's typed output.
 * Throws `FlowstackError('validation_failed')` listing every violation with its field path; not
 * retryable, the caller has to change the request.
 */
export function parseRequest<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: fieldPath(issue.path),
    message: issue.message,
    rule: issue.code,
  }));
  throw new FlowstackError('validation_failed', 'request is invalid', errors);
}
