/**
 * The config of each node type (ARCHITECTURE.md section 5): one zod schema per type, the single
 * definition of a config's shape. The registry's graph validation (`@flowstack/workflow`) parses
 * node configs with these and adds what a shape cannot say (expressions and templates compile,
 * embedded JSON Schemas are valid, a URL's literal scheme); `nodeConfigJsonSchemas()` turns them
 * into the JSON Schemas the designer's config forms are generated from.
 *
 * Objects are loose (unknown fields pass, as they always have: stored graphs carry them); a rule
 * across fields is a refinement and, so that the JSON Schema says it too, the same rule as a JSON
 * Schema keyword in `.meta()` next to it (the node-config agreement spec keeps both in step).
 * Messages are the ones the registry answers with, so they name the config field.
 */
import { z } from 'zod';
import { NODE_TYPES, type NodeType } from './graph';
import { agentCallConfigSchema } from './llm';
import { MAX_RETRY_INTERVAL_MS, retryPolicySchema } from './retry-policy';
import {
  builtinToolConfigSchema,
  MAX_TOOL_TIMEOUT_MS,
  pythonToolConfigSchema,
  shellToolConfigSchema,
  TOOL_HTTP_METHODS,
} from './tools';

/** Longest `delay`: one year, in seconds. */
export const MAX_DELAY_SECONDS = 366 * 24 * 3600;
/** Longest `human_gate` timeout: one year, in seconds. */
export const MAX_GATE_TIMEOUT_SECONDS = 366 * 24 * 3600;
/** The `when` labels a `human_gate`'s outgoing edges may carry: its two decisions. */
export const GATE_ROUTES = ['approved', 'rejected'] as const;
/** The roles a `human_gate` may require of its approver. */
export const GATE_APPROVER_ROLES = ['viewer', 'editor', 'admin'] as const;
/** Inline tool kinds a `tool` node may carry (an `mcp` server must be registered and discovered first). */
export const INLINE_NODE_TOOL_KINDS = ['http', 'python', 'shell', 'builtin'] as const;
/** An ISO-8601 time with a zone (`delay.until`). */
export const ISO_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A number in `[min, max]`, every failure with the same message. */
const numberIn = (min: number, max: number, message: string, int = false) => {
  const n = z.number({ error: message }).min(min, { error: message }).max(max, { error: message });
  return int ? n.int({ error: message }) : n;
};
/** A string with something other than white space in it. */
const filled = (message: string) => z.string({ error: message }).regex(/\S/, { error: message });

const attemptTimeout = (field: string) =>
  numberIn(
    1,
    MAX_RETRY_INTERVAL_MS,
    `config.${field} must be a whole number of milliseconds from 1 to ${MAX_RETRY_INTERVAL_MS}`,
    true,
  );

/** What every node may carry: its retry policy and its timeouts (defaults: the graph's `defaults`). */
const everyNode = {
  retry: retryPolicySchema.optional(),
  timeoutMs: attemptTimeout('timeoutMs').optional(),
  scheduleToCloseTimeoutMs: attemptTimeout('scheduleToCloseTimeoutMs').optional(),
};

/** `input`: the execution's input passes through; nothing to configure. */
export const inputNodeConfigSchema = z.looseObject(everyNode);

/** `transform` and `condition`: a JSONata expression (its compiling is checked by the workflow rules). */
export const expressionNodeConfigSchema = z.looseObject({
  expression: z.string({ error: 'needs config.expression, a JSONata expression (string)' }),
  ...everyNode,
});

/** `output`: any JSON; its strings are templates. */
export const outputNodeConfigSchema = z.looseObject({
  value: z.unknown().refine((v) => v !== undefined, { error: 'needs config.value (any JSON; strings are templates)' }),
  ...everyNode,
});

/** `validation`: a JSON Schema, and the data to check against it (default: the node's input). */
export const validationNodeConfigSchema = z.looseObject({
  schema: z.union([z.record(z.string(), z.unknown()), z.boolean()], { error: 'needs config.schema, a JSON Schema' }),
  data: z.unknown().optional(),
  ...everyNode,
});

/** An inline http tool: every string is a template; a literal URL scheme is checked by the workflow rules. */
export const inlineHttpToolSchema = z.looseObject({
  kind: z.literal('http'),
  url: filled('config.tool.url must be a non-empty string (a template)'),
  method: z.enum(TOOL_HTTP_METHODS, { error: `config.tool.method must be one of ${TOOL_HTTP_METHODS.join(', ')}` }).optional(),
  headers: z
    .record(z.string(), z.string({ error: 'each header must be a string (a template)' }), {
      error: 'config.tool.headers must be an object of strings',
    })
    .optional(),
  body: z.unknown().optional(),
  timeoutMs: numberIn(
    1,
    MAX_TOOL_TIMEOUT_MS,
    `config.tool.timeoutMs must be a positive integer no greater than ${MAX_TOOL_TIMEOUT_MS}`,
    true,
  ).optional(),
});

const kindMessage = (kind: unknown): string => {
  if (typeof kind !== 'string') return `config.tool.kind must be one of ${INLINE_NODE_TOOL_KINDS.join(', ')}`;
  if (kind === 'mcp') {
    // An MCP server's tools run only once discovered: discovery pins each definition (its hash),
    // and every call is checked against the pin (`mcp_tool_changed`). An inline server has no pin.
    return (
      'inline mcp tools are refused: register the server (POST /api/v1/tools, kind "mcp"), pin its tools with ' +
      'POST /api/v1/tools/{id}/discover, and use { "toolId", "mcpTool", "args" } here'
    );
  }
  return `unknown tool kind "${kind}" (known: http, mcp, python, shell, builtin)`;
};

/** An inline tool by kind; python and shell code is run as is (never a template). */
export const inlineToolSchema = z.discriminatedUnion(
  'kind',
  [
    inlineHttpToolSchema,
    pythonToolConfigSchema.extend({ kind: z.literal('python') }),
    shellToolConfigSchema.extend({ kind: z.literal('shell') }),
    builtinToolConfigSchema.extend({ kind: z.literal('builtin') }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? kindMessage((issue.input as { kind?: unknown } | undefined)?.kind)
        : 'config.tool must be an object with a kind',
  },
);

const toolMessage = 'needs config.toolId (a registered tool) or config.tool (an inline tool with a kind)';
const notBoth = 'give either config.toolId or config.tool, not both';

/** `tool` with `toolId`: a tool of the workspace (the registry checks it exists); `mcpTool` names an MCP server's tool. */
export const registeredToolNodeConfigSchema = z
  .looseObject({
    toolId: filled('config.toolId must be a non-empty string'),
    mcpTool: z.string().min(1).optional(),
    args: z.unknown().optional(),
    ...everyNode,
  })
  .refine((c) => !('tool' in c), { error: notBoth })
  .meta({ not: { required: ['tool'] } });

/** `tool` with `tool`: an inline tool. */
export const inlineToolNodeConfigSchema = z
  .looseObject({ tool: inlineToolSchema, args: z.unknown().optional(), ...everyNode })
  .refine((c) => !('toolId' in c), { error: notBoth })
  .meta({ not: { required: ['toolId'] } });

/**
 * `tool`: exactly one of an inline tool and a registered one; `args` are templates. Inline first:
 * a form drawing a config that fits neither (one being edited) shows the first alternative.
 */
export const toolNodeConfigSchema = z.xor([inlineToolNodeConfigSchema, registeredToolNodeConfigSchema], {
  error: (issue) => (issue.code === 'invalid_union' && issue.inclusive === false ? notBoth : toolMessage),
});

/** `agent_call`: `agentCallConfigSchema` (shared with the tool-runner that runs it) and the fields of every node. */
export const agentCallNodeConfigSchema = agentCallConfigSchema
  .safeExtend(everyNode)
  .meta({ anyOf: [{ required: ['prompt'] }, { required: ['messages'] }] });

const gateTimeoutMessage = `config.timeoutSeconds must be a number from 0 to ${MAX_GATE_TIMEOUT_SECONDS}`;

/** `human_gate`: the question, who may answer, and what a timeout decides. */
export const humanGateNodeConfigSchema = z
  .looseObject({
    prompt: filled('needs config.prompt, the question the approver answers (a non-empty string)').max(4000, {
      error: 'config.prompt must be at most 4000 characters',
    }),
    approverRole: z
      .enum(GATE_APPROVER_ROLES, { error: `config.approverRole must be one of ${GATE_APPROVER_ROLES.join(', ')}` })
      .optional(),
    timeoutSeconds: numberIn(0, MAX_GATE_TIMEOUT_SECONDS, gateTimeoutMessage).optional(),
    onTimeout: z.enum(GATE_ROUTES, { error: `config.onTimeout must be one of ${GATE_ROUTES.join(', ')}` }).optional(),
    ...everyNode,
  })
  .refine((c) => c.onTimeout === undefined || c.timeoutSeconds !== undefined, {
    path: ['onTimeout'],
    error: 'config.onTimeout needs config.timeoutSeconds (without a timeout the gate waits forever)',
  })
  .meta({ dependencies: { onTimeout: ['timeoutSeconds'] } });

const delayMessage = 'needs exactly one of config.seconds (a number) and config.until (an ISO-8601 time)';

/** `delay`: exactly one of `seconds` (0 to a year, fractions allowed) and `until` (an ISO-8601 time with a zone). */
export const delayNodeConfigSchema = z.xor(
  [
    z
      .looseObject({
        seconds: numberIn(0, MAX_DELAY_SECONDS, `config.seconds must be a number from 0 to ${MAX_DELAY_SECONDS}`),
        ...everyNode,
      })
      .refine((c) => !('until' in c), { error: delayMessage })
      .meta({ not: { required: ['until'] } }),
    z
      .looseObject({
        until: z
          .string({ error: 'config.until must be an ISO-8601 time with a zone, e.g. 2026-12-01T09:00:00Z' })
          .regex(ISO_TIME_PATTERN, {
            error: 'config.until must be an ISO-8601 time with a zone, e.g. 2026-12-01T09:00:00Z',
            abort: true,
          })
          .refine((v) => Number.isFinite(Date.parse(v)), { error: 'config.until is not a time that exists' }),
        ...everyNode,
      })
      .refine((c) => !('seconds' in c), { error: delayMessage })
      .meta({ not: { required: ['seconds'] } }),
  ],
  { error: delayMessage },
);

/** `sub_workflow`: a workflow of the workspace (checked by the registry), a version (absent: the latest), its input (a template). */
export const subWorkflowNodeConfigSchema = z.looseObject({
  workflowId: filled('needs config.workflowId (the id of a workflow of this workspace)'),
  version: numberIn(
    1,
    Number.MAX_SAFE_INTEGER,
    'config.version must be an integer >= 1 (absent: the latest version when the node runs)',
    true,
  ).optional(),
  input: z.unknown().optional(),
  ...everyNode,
});

/** The config schema of every node type. */
export const NODE_CONFIG_SCHEMAS = {
  input: inputNodeConfigSchema,
  transform: expressionNodeConfigSchema,
  condition: expressionNodeConfigSchema,
  validation: validationNodeConfigSchema,
  tool: toolNodeConfigSchema,
  agent_call: agentCallNodeConfigSchema,
  human_gate: humanGateNodeConfigSchema,
  delay: delayNodeConfigSchema,
  sub_workflow: subWorkflowNodeConfigSchema,
  output: outputNodeConfigSchema,
} as const satisfies Record<NodeType, z.ZodType>;

/** A JSON Schema document (draft-07). */
export type JsonSchemaObject = Record<string, unknown>;

/** `additionalProperties: {}` (what loose objects say) is JSON Schema's default: left out, so form libraries don't offer to add fields. */
function withoutDefaultKeywords(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaultKeywords);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const emptyObject = v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0;
    if (key === 'additionalProperties' && emptyObject) continue;
    out[key] = withoutDefaultKeywords(v);
  }
  return out;
}

/**
 * The JSON Schema (draft-07) of each node type's config, as the designer's forms get it (the input
 * side: defaults are defaults, not required). Refinements the `.meta()` keywords restate are in it;
 * the checks that need a compiler (expressions, templates, embedded schemas) are not.
 */
export function nodeConfigJsonSchemas(): Record<NodeType, JsonSchemaObject> {
  const types = [...new Set(NODE_TYPES)];
  return Object.fromEntries(
    types.map((type) => [
      type,
      withoutDefaultKeywords(
        z.toJSONSchema(NODE_CONFIG_SCHEMAS[type], { target: 'draft-7', io: 'input', unrepresentable: 'any' }),
      ),
    ]),
  ) as Record<NodeType, JsonSchemaObject>;
}
