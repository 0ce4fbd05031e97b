import {
  agentCallConfigSchema,
  attemptTimeoutSchema,
  fieldPath,
  MAX_RETRY_INTERVAL_MS,
  retryPolicySchema,
  type FieldError,
  type GraphNode,
} from '@flowstack/contracts';
import { compileExpression } from '../expression/expression.compiler';
import { ExpressionError } from '../expression/expression.error';
import { isPlainObject } from '../field-path';
import { findJsonSchemaErrors } from './json-schema.rules';
import { nodeIssues, type NodeIssues } from './node-issue';
import { checkToolConfig } from './tool-config.rules';
import { checkGateConfig } from './gate.rules';

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
  checkRetryAndTimeout(fields, issues);
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
    case 'delay':
      checkDelay(fields, issues);
      break;
    case 'human_gate':
      checkGateConfig(fields, issues);
      break;
    case 'agent_call':
      checkAgentCall(fields, node, index, issues);
      break;
    case 'sub_workflow':
      checkSubWorkflow(fields, issues);
      break;
    default:
      // `input` takes `{}`; the reserved types have no rules yet.
      break;
  }
  return issues.errors;
}

/** `{ agentId, prompt, tools?, maxSteps?, outputSchema? }`: the shape, the prompt's template, the output schema. */
function checkAgentCall(fields: Record<string, unknown>, node: GraphNode, index: number, issues: NodeIssues): void {
  const parsed = agentCallConfigSchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.add(fieldPath(issue.path, 'config'), issue.message);
    return;
  }
  if (parsed.data.prompt !== undefined) issues.addTemplateErrors(parsed.data.prompt, 'config.prompt');
  if (typeof parsed.data.messages === 'string') issues.addTemplateErrors(parsed.data.messages, 'config.messages');
  if (parsed.data.outputSchema !== undefined) {
    const subject = `${node.type} node "${node.id}": config.outputSchema`;
    issues.errors.push(
      ...findJsonSchemaErrors(
        parsed.data.outputSchema,
        `nodes[${index}].config.outputSchema`,
        'invalid_node_config',
        subject,
      ).map((error) => ({ ...error, nodeId: node.id })),
    );
  }
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

/** Every node may carry `config.retry` (a retry policy) and `config.timeoutMs` (per attempt). */
function checkRetryAndTimeout(fields: Record<string, unknown>, issues: NodeIssues): void {
  if (fields.retry !== undefined) {
    const parsed = retryPolicySchema.safeParse(fields.retry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const at = fieldPath(issue.path, 'config.retry');
        issues.add(at, `${at}: ${issue.message}`);
      }
    }
  }
  if (fields.timeoutMs !== undefined && !attemptTimeoutSchema.safeParse(fields.timeoutMs).success) {
    issues.add('config.timeoutMs', `config.timeoutMs must be a whole number of milliseconds from 1 to ${MAX_RETRY_INTERVAL_MS}`);
  }
  const total = fields.scheduleToCloseTimeoutMs;
  if (total !== undefined && !attemptTimeoutSchema.safeParse(total).success) {
    issues.add(
      'config.scheduleToCloseTimeoutMs',
      `config.scheduleToCloseTimeoutMs must be a whole number of milliseconds from 1 to ${MAX_RETRY_INTERVAL_MS}`,
    );
  }
}

/** Longest `delay`: one year, in seconds. */
export const MAX_DELAY_SECONDS = 366 * 24 * 3600;

/** A `delay` waits `config.seconds` (0 to a year, fractions allowed) or until `config.until` (an ISO-8601 time with a zone). */
function checkDelay(fields: Record<string, unknown>, issues: NodeIssues): void {
  const { seconds, until } = fields;
  if ((seconds === undefined) === (until === undefined)) {
    issues.add('config', 'needs exactly one of config.seconds (a number) and config.until (an ISO-8601 time)');
    return;
  }
  if (seconds !== undefined) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_DELAY_SECONDS) {
      issues.add('config.seconds', `config.seconds must be a number from 0 to ${MAX_DELAY_SECONDS}`);
    }
  } else if (typeof until !== 'string' || !ISO_TIME.test(until) || !Number.isFinite(Date.parse(until))) {
    issues.add('config.until', 'config.until must be an ISO-8601 time with a zone, e.g. 2026-12-01T09:00:00Z');
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `{ workflowId, version?, input? }`: a workflow of the workspace (checked by the registry), a version, a template. */
function checkSubWorkflow(config: Record<string, unknown>, issues: NodeIssues): void {
  if (typeof config.workflowId !== 'string' || config.workflowId.trim() === '') {
    issues.add('config.workflowId', 'needs config.workflowId (the id of a workflow of this workspace)');
  }
  if (config.version !== undefined && !(Number.isInteger(config.version) && (config.version as number) >= 1)) {
    issues.add('config.version', 'config.version must be an integer >= 1 (absent: the latest version when the node runs)');
  }
  if (config.input !== undefined) issues.addTemplateErrors(config.input, 'config.input');
}
