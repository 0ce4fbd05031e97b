import type { z } from 'zod';
import { FlowstackError, type FieldError } from '@flowstack/contracts';

/** `['graph', 'nodes', 0, 'id']` -> `graph.nodes[0].id` */
export const formatPath = (path: ReadonlyArray<PropertyKey>, prefix = ''): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    prefix,
  ) || prefix || '(body)';

/**
 * Validates a request part with its zod schema at the edge; failures become one 400 naming every
 * offending field by path.
 */
export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path, prefix),
    message: issue.message,
    rule: issue.code,
  }));
  throw new FlowstackError('validation_failed', `request is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
}
