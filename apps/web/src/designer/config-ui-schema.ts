/**
 * Which widget draws which config field, where a plain form is not enough: expressions and
 * templates are compiled as you type, JSON values are edited as JSON, and agents, tools, workflows
 * and credentials are picked from the workspace's lists. Everything else is drawn from the schema.
 */
import type { UiSchema } from '@rjsf/utils';
import type { NodeKind } from './node-kinds';

const json = { 'ui:field': 'json' };
const expression = { 'ui:widget': 'expression' };
/** A template; `secrets` offers the workspace's credentials to insert as `{{ secrets.<name> }}`. */
const template = (options: { multiline?: boolean; secrets?: boolean } = {}) => ({
  'ui:widget': 'template',
  'ui:options': options,
});
const pick = (resource: 'agent' | 'registeredTool' | 'workflow', multiple = false) => ({
  'ui:widget': 'resource',
  'ui:options': { resource, multiple },
});
const sourceCode = { 'ui:widget': 'textarea', 'ui:options': { rows: 6 }, 'ui:classNames': 'mono' };

/** Retry policy and timeouts, on every node: folded away, they are rarely changed. */
const everyNode: UiSchema = {
  retry: { 'ui:ObjectFieldTemplate': 'folded' },
  'ui:order': ['*', 'retry', 'timeoutMs', 'scheduleToCloseTimeoutMs'],
};

/** rjsf draws a field's alternatives (`oneOf`) with the widget its uiSchema names. */
const alternatives = { 'ui:widget': 'alternatives' };

const inlineTool: UiSchema = {
  ...alternatives,
  kind: { 'ui:widget': 'hidden' },
  url: template({ secrets: true }),
  headers: { additionalProperties: template({ secrets: true }) },
  body: json,
  code: sourceCode,
  command: sourceCode,
  env: json,
  options: json,
};

const UI: Record<NodeKind, UiSchema> = {
  input: {},
  transform: { expression },
  condition: { expression },
  validation: { schema: json, data: json },
  tool: { ...alternatives, toolId: pick('registeredTool'), args: json, tool: inlineTool },
  agent_call: {
    agentId: pick('agent'),
    prompt: template({ multiline: true }),
    messages: json,
    tools: pick('registeredTool', true),
    outputSchema: json,
  },
  human_gate: { prompt: { 'ui:widget': 'textarea', 'ui:options': { rows: 3 } } },
  delay: alternatives,
  sub_workflow: { workflowId: pick('workflow'), input: json },
  output: { value: json },
};

/** The uiSchema of a node type's config form (no submit button: the designer saves the graph). */
export const configUiSchemaOf = (kind: NodeKind): UiSchema => ({
  ...everyNode,
  ...UI[kind],
  'ui:submitButtonOptions': { norender: true },
});
