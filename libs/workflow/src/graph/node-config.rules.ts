import { NODE_CONFIG_SCHEMAS, type FieldError, type GraphNode, type NodeType } from '@flowstack/contracts';
import { compileExpression } from '../expression/expression.compiler';
import { ExpressionError } from '../expression/expression.error';
import { childPath, isPlainObject } from '../field-path';
import { configIssues } from './config-issues';
import { findJsonSchemaErrors } from './json-schema.rules';
import { nodeIssues, type NodeIssues } from './node-issue';
import { checkToolTemplates } from './tool-config.rules';

/**
 * The `invalid_node_config` errors of a node of a runnable type (ARCHITECTURE.md section 5): its
 * config's shape against the type's schema (`NODE_CONFIG_SCHEMAS`, the one definition the
 * designer's forms come from too), then what a schema cannot say: expressions and templates
 * compile, embedded JSON Schemas are valid, an http tool's literal URL scheme.
 */
export function checkNodeConfig(node: GraphNode, index: number): FieldError[] {
  const issues = nodeIssues(node, index);
  const config: unknown = node.config;
  if (config !== undefined && !isPlainObject(config)) {
    issues.add('config', 'config must be an object');
    return issues.errors;
  }
  const fields = config ?? {};
  const schema: (typeof NODE_CONFIG_SCHEMAS)[NodeType] | undefined = NODE_CONFIG_SCHEMAS[node.type];
  // Types without a schema here (reserved for later releases) are not checked: callers enabling
  // them through `runnableTypes` take their config as is.
  if (!schema) return issues.errors;
  const parsed = schema.safeParse(fields);
  for (const issue of parsed.success ? [] : configIssues(parsed.error.issues, fields)) {
    const at = issue.path.reduce<string>((p, k) => childPath(p, typeof k === 'number' ? k : String(k)), 'config');
    // The retry policy's messages are zod's own ("Too small..."): say which field they are about.
    issues.add(at, issue.path[0] === 'retry' ? `${at}: ${issue.message}` : issue.message);
  }
  checkCompiledParts(node, index, fields, issues);
  return issues.errors;
}

/** The checks that need a compiler; each looks only at fields of the right type (the shape check reports the others). */
function checkCompiledParts(node: GraphNode, index: number, fields: Record<string, unknown>, issues: NodeIssues): void {
  switch (node.type) {
    case 'transform':
    case 'condition':
      if (typeof fields.expression === 'string') checkExpression(fields.expression, issues);
      break;
    case 'output':
      issues.addTemplateErrors(fields.value, 'config.value');
      break;
    case 'tool':
      checkToolTemplates(fields, issues);
      break;
    case 'validation':
      if (isPlainObject(fields.schema)) embeddedSchemaErrors(fields.schema, 'schema', node, index, issues);
      issues.addTemplateErrors(fields.data, 'config.data');
      break;
    case 'agent_call':
      if (typeof fields.prompt === 'string') issues.addTemplateErrors(fields.prompt, 'config.prompt');
      if (typeof fields.messages === 'string') issues.addTemplateErrors(fields.messages, 'config.messages');
      if (isPlainObject(fields.outputSchema)) embeddedSchemaErrors(fields.outputSchema, 'outputSchema', node, index, issues);
      break;
    case 'sub_workflow':
      issues.addTemplateErrors(fields.input, 'config.input');
      break;
    default:
      // input, human_gate and delay hold no expressions, templates or schemas.
      break;
  }
}

function embeddedSchemaErrors(schema: unknown, field: string, node: GraphNode, index: number, issues: NodeIssues): void {
  const subject = `${node.type} node "${node.id}": config.${field}`;
  issues.errors.push(
    ...findJsonSchemaErrors(schema, `nodes[${index}].config.${field}`, 'invalid_node_config', subject).map((error) => ({
      ...error,
      nodeId: node.id,
    })),
  );
}

function checkExpression(expression: string, issues: NodeIssues): void {
  try {
    compileExpression(expression);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const at = error.position === undefined ? '' : ` at position ${error.position}`;
    issues.add('config.expression', `config.expression does not compile${at}: ${error.details.reason ?? error.message}`);
  }
}
