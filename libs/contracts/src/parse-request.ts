import type { z } from 'zod';
import { FlowstackError, type FieldError } from './errors';

/**
 * `['graph', 'nodes', 0, 'id']` -> `graph.nodes[0].id`, the path style of `FieldError`. `prefix`
 * names the part of the request the path starts in (`fieldPath(['limit'], 'query')` ->
 * `query.limit`); an empty path is the prefix itself.
 */
export const fieldPath = (path: readonly PropertyKey[], prefix = ''): string =>
  path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, prefix);

/**
 * Validates a request part at the edge (the gateway's HTTP body or query, a service's NATS payload)
 * and returns the schema's typed output. Throws `FlowstackError('validation_failed')` whose
 * message lists every violation (`request is invalid: email Invalid email address; ...`) and whose
 * `errors` carry each one with its field path under `prefix` (a violation of the whole value, with
 * no path, is reported at `(body)`); not retryable, the caller has to change the request.
 */
export function parseRequest<S extends z.ZodType>(schema: S, payload: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: fieldPath(issue.path, prefix) || '(body)',
    message: issue.message,
    rule: issue.code,
  }));
  throw new FlowstackError(
    'validation_failed',
    `request is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    errors,
  );
}
