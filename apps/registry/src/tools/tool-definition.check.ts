import {
  DEFAULT_TOOL_INPUT_SCHEMA,
  FlowstackError,
  parseRequest,
  TOOL_CONFIG_SCHEMAS,
  type FieldError,
  type ToolKind,
} from '@flowstack/contracts';
import { findJsonSchemaErrors, findTemplateErrors } from '@flowstack/workflow';

/**
 * A tool's `config` checked against its kind's schema (`config...` paths), then, for `http` and
 * `mcp`, every template in it compiled, as a tool node's inline config is (python and shell code
 * is not a template: `{{` is ordinary code there). Throws `validation_failed`.
 */
export function checkedToolConfig(kind: ToolKind, config: unknown): Record<string, unknown> {
  const parsed = parseRequest(TOOL_CONFIG_SCHEMAS[kind], config, 'config') as Record<string, unknown>;
  const errors =
    kind === 'http' || kind === 'mcp'
      ? findTemplateErrors(parsed, 'config')
      : kind === 'python' || kind === 'shell'
        ? findTemplateErrors(parsed.env ?? {}, 'config.env')
        : [];
  if (errors.length > 0) throw invalid(errors);
  return parsed;
}

/**
 * `inputSchema` (default: an object of any arguments) checked with the platform's JSON Schema
 * rules (draft-07 or 2020-12, RE2 patterns) and, as both vendors require of a function's
 * parameters, of `type: "object"`. Throws `validation_failed` at `inputSchema...`.
 */
export function checkedInputSchema(schema: Record<string, unknown> | undefined): Record<string, unknown> {
  if (schema === undefined) return { ...DEFAULT_TOOL_INPUT_SCHEMA, properties: {} };
  const errors = findJsonSchemaErrors(schema, 'inputSchema', 'invalid_input_schema', 'inputSchema');
  if (errors.length === 0 && schema.type !== 'object') {
    errors.push({
      path: 'inputSchema.type',
      rule: 'invalid_input_schema',
      message: 'inputSchema must have type "object" (the arguments object)',
    });
  }
  if (errors.length > 0) throw invalid(errors);
  return schema;
}

const invalid = (errors: FieldError[]): FlowstackError =>
  new FlowstackError(
    'validation_failed',
    `request is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    errors,
  );
