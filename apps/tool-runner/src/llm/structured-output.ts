import { createSchemaAjv, schemaDialect } from '@flowstack/workflow';
import { NodeFailure } from '../work/node-failure';

/** The instruction added to the system prompt when the answer must satisfy a schema. */
export const outputInstruction = (schema: Record<string, unknown> | boolean): string =>
  `Give your final answer as a single JSON value, with no text around it, that satisfies this JSON Schema:\n${JSON.stringify(schema)}`;

const FENCED = /^\s*```(?:json)?\s*\n?([\s\S]*?)\n?```\s*$/i;

/**
 * The final answer parsed as JSON (a fenced ```json block is accepted) and checked against the
 * schema. Fails with `invalid_output` (not retryable: the same answer would fail again), listing
 * every violation's path, or saying the answer is not JSON.
 */
export function parseStructuredOutput(text: string, schema: Record<string, unknown> | boolean): unknown {
  const body = FENCED.exec(text)?.[1] ?? text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new NodeFailure('invalid_output', 'the final answer is not JSON, though the node has an outputSchema', false, {
      text: text.slice(0, 2000),
    });
  }
  if (typeof schema === 'boolean') {
    if (!schema) throw new NodeFailure('invalid_output', 'the outputSchema `false` accepts no answer', false);
    return value;
  }
  const validate = createSchemaAjv(schemaDialect(schema)).compile(schema);
  if (validate(value)) return value;
  const errors = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
  throw new NodeFailure(
    'invalid_output',
    `the final answer does not satisfy the outputSchema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    false,
    { errors, output: value },
  );
}
