/**
 * Registered tools: a kind, its config (one zod schema per kind), and the JSON Schema of the
 * arguments an agent passes. The registry also checks `inputSchema` with the platform's JSON
 * Schema rules (`@flowstack/workflow`) and that a referenced credential is in the workspace.
 */
import { z } from 'zod';
import { httpUrlSchema } from './agents';
import { mcpDiscoverySchema } from './mcp';

export const TOOL_KINDS = ['http', 'mcp', 'python', 'shell', 'builtin'] as const;
export type ToolKind = (typeof TOOL_KINDS)[number];

export const TOOL_HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const MAX_TOOL_TIMEOUT_MS = 300_000;
export const MCP_TRANSPORTS = ['streamable_http', 'sse', 'stdio'] as const;

/** The platform operations a `builtin` tool names (run by the tool-runner). */
export const BUILTIN_OPERATIONS = ['json_parse', 'json_stringify', 'text_template', 'sleep', 'webhook_notify', 'noop'] as const;

const headersSchema = z
  .record(z.string().min(1).max(256), z.string().max(16_384))
  .refine((h) => Object.keys(h).length <= 100, 'at most 100 headers');
/** Strings may be templates (`{{ args.city }}`, `{{ secrets.<name> }}`). */
const templateText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export const httpToolConfigSchema = z.strictObject({
  url: templateText(4096).refine(
    (u) => !/^[a-z][a-z0-9+.-]*:/i.test(u) || /^https?:/i.test(u),
    'must be an http: or https: URL (a template)',
  ),
  method: z.enum(TOOL_HTTP_METHODS),
  headers: headersSchema.optional(),
  body: z.unknown().optional(),
  timeoutMs: z.number().int().min(1).max(MAX_TOOL_TIMEOUT_MS).optional(),
});

export const mcpToolConfigSchema = z
  .strictObject({
    transport: z.enum(MCP_TRANSPORTS),
    /** `streamable_http` and `sse`: the server's endpoint. */
    serverUrl: httpUrlSchema.optional(),
    /** `stdio`: the program to start (must be on the deployment's allowlist) and its arguments. */
    command: z.string().trim().min(1).max(1024).optional(),
    args: z.array(z.string().max(4096)).max(100).optional(),
    headers: headersSchema.optional(),
    /** A credential of this workspace (`mcp_headers`, `bearer_token`, `header`, `api_key`...). */
    credentialId: z.uuid('must be the id (uuid) of a credential of this workspace').optional(),
    /** Only these tools of the server are offered to agents (all when absent). */
    allowedTools: z.array(z.string().min(1).max(128)).max(500).optional(),
    /** Per MCP request (connect, list, call); default 30 s. */
    timeoutMs: z.number().int().min(1).max(MAX_TOOL_TIMEOUT_MS).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.transport === 'stdio') {
      if (c.command === undefined)
        ctx.addIssue({ code: 'custom', path: ['command'], message: 'the stdio transport needs a command' });
      if (c.serverUrl !== undefined)
        ctx.addIssue({ code: 'custom', path: ['serverUrl'], message: 'the stdio transport takes a command, not a serverUrl' });
    } else {
      if (c.serverUrl === undefined)
        ctx.addIssue({ code: 'custom', path: ['serverUrl'], message: `the ${c.transport} transport needs a serverUrl` });
      if (c.command !== undefined || c.args !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['command'],
          message: `the ${c.transport} transport takes a serverUrl, not a command`,
        });
      }
    }
  });

/** Upper bounds of a sandboxed (`python`, `shell`) tool's limits. */
export const SANDBOX_LIMITS = {
  maxTimeoutMs: 300_000,
  defaultTimeoutMs: 30_000,
  maxMemoryMb: 4096,
  defaultMemoryMb: 512,
  maxOutputBytes: 4_000_000,
  defaultOutputBytes: 1_000_000,
  maxProcesses: 256,
  defaultProcesses: 32,
} as const;

/**
 * What `python` and `shell` tools share: environment variables (templates over `args` and
 * `secrets.<name>`: the only way a secret reaches the sandbox, and only the ones named here),
 * network (off unless `true` and the workspace's admin allowed it), and limits.
 */
const sandboxFields = {
  env: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'an environment variable name'), z.string().max(65_536))
    .refine((e) => Object.keys(e).length <= 100, 'at most 100 variables')
    .optional(),
  network: z.boolean().optional(),
  timeoutMs: z.number().int().min(100).max(SANDBOX_LIMITS.maxTimeoutMs).optional(),
  /** CPU seconds (default: the wall time, rounded up). */
  cpuSeconds: z
    .number()
    .int()
    .min(1)
    .max(SANDBOX_LIMITS.maxTimeoutMs / 1000)
    .optional(),
  memoryMb: z.number().int().min(32).max(SANDBOX_LIMITS.maxMemoryMb).optional(),
  maxOutputBytes: z.number().int().min(1024).max(SANDBOX_LIMITS.maxOutputBytes).optional(),
  maxProcesses: z.number().int().min(1).max(SANDBOX_LIMITS.maxProcesses).optional(),
};

/** `code` is Python 3 source, run as is (never rendered as a template): it sees `args`, sets `result`. */
export const pythonToolConfigSchema = z.strictObject({ code: templateText(200_000), ...sandboxFields });
/** `command` is a `/bin/sh -c` script, run as is: `$ARGS` and stdin hold the arguments' JSON. */
export const shellToolConfigSchema = z.strictObject({ command: templateText(20_000), ...sandboxFields });
export type PythonToolConfig = z.infer<typeof pythonToolConfigSchema>;
export type ShellToolConfig = z.infer<typeof shellToolConfigSchema>;
/** The tool kinds that run in the sandbox, each off per workspace until an admin enables it. */
export const SANDBOXED_TOOL_KINDS = ['python', 'shell'] as const;
export type SandboxedToolKind = (typeof SANDBOXED_TOOL_KINDS)[number];
export const builtinToolConfigSchema = z.strictObject({
  operation: z.enum(BUILTIN_OPERATIONS),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** The config schema of each kind. */
export const TOOL_CONFIG_SCHEMAS = {
  http: httpToolConfigSchema,
  mcp: mcpToolConfigSchema,
  python: pythonToolConfigSchema,
  shell: shellToolConfigSchema,
  builtin: builtinToolConfigSchema,
} as const satisfies Record<ToolKind, z.ZodType>;

/** The tool name the model sees: lower case, runs of anything but [a-z0-9_-] one `_`, at most 64. */
export const toolModelName = (name: string): string =>
  name
    .normalize('NFKD')
    // Accents go (é -> e), so a name in any Latin script keeps its letters.
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);

const toolName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((n) => toolModelName(n) !== '', 'needs at least one letter or digit (the model sees it as a function name)');

/** A JSON Schema object of the tool's arguments (checked further by the registry). */
const inputSchemaField = z.record(z.string(), z.unknown());

/** Default `inputSchema`: an object of any arguments. */
export const DEFAULT_TOOL_INPUT_SCHEMA = { type: 'object', properties: {} } as const;

const toolBase = {
  name: toolName,
  description: z.string().max(4000).optional(),
  inputSchema: inputSchemaField.optional(),
};

/** `POST /api/v1/tools`: `config` is checked against the schema of `kind` (errors at `config...`). */
export const createToolSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...toolBase, kind: z.literal('http'), config: httpToolConfigSchema }),
  z.strictObject({ ...toolBase, kind: z.literal('mcp'), config: mcpToolConfigSchema }),
  z.strictObject({ ...toolBase, kind: z.literal('python'), config: pythonToolConfigSchema }),
  z.strictObject({ ...toolBase, kind: z.literal('shell'), config: shellToolConfigSchema }),
  z.strictObject({ ...toolBase, kind: z.literal('builtin'), config: builtinToolConfigSchema }),
]);
export type CreateToolRequest = z.infer<typeof createToolSchema>;

/**
 * `PATCH /api/v1/tools/{id}`: the fields given change. A new `config` is checked against the
 * tool's kind, or against `kind` when it changes with it (a new kind needs a new config).
 */
export const updateToolSchema = z
  .strictObject({
    name: toolName.optional(),
    description: z.string().max(4000).nullable().optional(),
    kind: z.enum(TOOL_KINDS).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    inputSchema: inputSchemaField.optional(),
  })
  .refine((b) => b.kind === undefined || b.config !== undefined, { path: ['config'], message: 'a new kind needs a new config' })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to change' });
export type UpdateToolRequest = z.infer<typeof updateToolSchema>;

export const toolViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The function name agents' models see (`toolModelName(name)`), unique in the workspace. */
  modelName: z.string(),
  description: z.string().optional(),
  kind: z.enum(TOOL_KINDS),
  config: z.record(z.string(), z.unknown()),
  inputSchema: z.record(z.string(), z.unknown()),
  /** Kind `mcp`: the last `POST /tools/{id}/discover` (absent until one ran: the tool cannot run before). */
  mcp: mcpDiscoverySchema.optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ToolView = z.infer<typeof toolViewSchema>;

/** One item of `GET /agents/{id}/tools`: the tool and when it was linked. */
export const agentToolViewSchema = toolViewSchema.extend({ linkedAt: z.string() });
export type AgentToolView = z.infer<typeof agentToolViewSchema>;
