import type { FieldError, GraphNode } from '@flowstack/contracts';
import { compileExpression } from '../expression/expression.compiler';
import { ExpressionError } from '../expression/expression.error';
import { isPlainObject } from '../field-path';
import { findJsonSchemaErrors } from './json-schema.rules';
import { nodeIssues, type NodeIssues } from './node-issue';
import { checkToolConfig } from './tool-config.rules';

/**
 * The `invalid_node_config` errors of a node of a runnable type (ARCHITECTURE.md section 5).
 * Types without rules here (reserved for later releases) are not checked: callers enabling them
 * through `runnableTypes` take their config as is.
 */
export function checkNodeConfig(node: GraphNode, index: number): FieldError[] {
  const issues = nodeIssues(node, index);
  const config: unknown = node.config;
  if (config !== undefined && !isPlainObject(config)) {
    issues.add('config', 'config must be an object');
    return issues.errors;
  }
  const fields = config ?? {};
  switch (node.type) {
    case 'transform':
    case 'condition':
      checkExpression(fields.expression, issues);
      break;
    case 'output':
      if (fields.value === undefined) issues.add('config.value', 'needs config.value (any JSON; strings are templates)');
      else issues.addTemplateErrors(fields.value, 'config.value');
      break;
    case 'tool':
      checkToolConfig(fields, issues);
      break;
    case 'validation':
      checkValidation(fields, node, index, issues);
      break;
    default:
      // `input` takes `{}`; the reserved types have no rules yet.
      break;
  }
  return issues.errors;
}

function checkExpression(expression: unknown, issues: NodeIssues): void {
  if (typeof expression !== 'string') {
    issues.add('config.expression', 'needs config.expression, a JSONata expression (string)');
    return;
  }
  try {
    compileExpression(expression);
  } catch (error) {
    if (!(error instanceof ExpressionError)) throw error;
    const at = error.position === undefined ? '' : ` at position ${error.position}`;
    issues.add('config.expression', `config.expression does not compile${at}: ${error.details.reason ?? error.message}`);
  }
}

function checkValidation(fields: Record<string, unknown>, node: GraphNode, index: number, issues: NodeIssues): void {
  if (fields.schema === undefined) {
    issues.add('config.schema', 'needs config.schema, a JSON Schema');
  } else {
    const subject = `${node.type} node "${node.id}": config.schema`;
    issues.errors.push(
      ...findJsonSchemaErrors(fields.schema, `nodes[${index}].config.schema`, 'invalid_node_config', subject).map((error) => ({
        ...error,
        nodeId: node.id,
      })),
    );
  }
  if (fields.data !== undefined) issues.addTemplateErrors(fields.data, 'config.data');
}
