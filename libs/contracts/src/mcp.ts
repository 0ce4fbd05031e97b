/**
 * MCP tools (kind `mcp`): what discovery records, what `/tools/{id}/test` and `/discover` answer,
 * and the subjects the gateway calls on the tool-runner. The tool-runner alone connects to MCP
 * servers; the registry stores the definitions a discovery pinned, and the runner refuses a tool
 * whose live definition no longer hashes to its pin (`mcp_tool_changed`).
 */
import { z } from 'zod';

/** One tool of an MCP server as discovery pinned it. `hash`: sha256 (hex) of its canonical definition. */
export const mcpToolDefinitionSchema = z.object({
  name: z.string().min(1).max(256),
  title: z.string().max(1024).optional(),
  description: z.string().max(20_000).optional(),
  inputSchema: z.record(z.string(), z.unknown()),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
});
export type McpToolDefinition = z.infer<typeof mcpToolDefinitionSchema>;

/** What `POST /tools/{id}/discover` records on the tool (shown as `ToolView.mcp`). */
export const mcpDiscoverySchema = z.object({
  /** sha256 over every tool's `name:hash`, sorted by name: changes when any definition does. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  discoveredAt: z.string(),
  /** Every tool the server listed (not only `allowedTools`), with its pinned definition. */
  tools: z.array(mcpToolDefinitionSchema).max(2000),
});
export type McpDiscovery = z.infer<typeof mcpDiscoverySchema>;

/**
 * `POST /api/v1/tools/{id}/test`: `args` are the tool's arguments (what an agent or a tool node
 * passes); `mcpTool` names the MCP server's tool to call (kind `mcp` only; optional when the
 * tool's `allowedTools` names exactly one).
 */
export const testToolSchema = z.strictObject({
  args: z.record(z.string(), z.unknown()).default({}),
  mcpTool: z.string().min(1).max(256).optional(),
});
export type TestToolRequest = z.infer<typeof testToolSchema>;

/**
 * The answer of `POST /tools/{id}/test` (always `200`, also when the tool failed: a failing tool is
 * the tool's outcome, not the API's). `ok: true` carries `output` (what a `tool` node would
 * output); `ok: false` carries `error { code, message, retryable, details? }`, the error a tool
 * node would fail with.
 */
export type ToolTestResult =
  | { ok: true; toolId: string; kind: string; output: unknown; durationMs: number; mcpTool?: string }
  | {
      ok: false;
      toolId: string;
      kind: string;
      error: { code: string; message: string; retryable: boolean; details?: unknown };
      durationMs: number;
      mcpTool?: string;
    };

/** The answer of `POST /tools/{id}/discover`: the recorded discovery and whether it changed. */
export interface ToolDiscoverResult extends McpDiscovery {
  toolId: string;
  /** The previous discovery's hash (absent on the first). */
  previousHash?: string;
  changed: boolean;
}

/** `toolrunner.tool.test` and `toolrunner.tool.discover` payloads (the workspace travels in headers). */
export interface ToolTestPayload extends TestToolRequest {
  toolId: string;
}
export interface ToolDiscoverPayload {
  toolId: string;
}

/** `registry.tool.discovered`: records a discovery on an mcp tool (the gateway, after the runner listed it). */
export interface ToolDiscoveredPayload {
  id: string;
  discovery: McpDiscovery;
}

/** `registry.tool.tested`: the audit record of one `/test` run (no arguments, no output: they may hold secrets). */
export interface ToolTestedPayload {
  id: string;
  ok: boolean;
  errorCode?: string;
  durationMs: number;
  mcpTool?: string;
}

/** The tool-runner's request-reply subjects (served by every runner replica, one queue group). */
export const ToolRunnerRpc = {
  /** `ToolTestPayload` -> `ToolTestResult`. */
  toolTest: 'toolrunner.tool.test',
  /** `ToolDiscoverPayload` -> `McpDiscovery` (mcp tools only; other kinds answer `validation_failed`). */
  toolDiscover: 'toolrunner.tool.discover',
} as const;

/** The registry's subjects for MCP discovery and tool test audit records. */
export const RegistryToolRunRpc = {
  toolDiscovered: 'registry.tool.discovered',
  toolTested: 'registry.tool.tested',
} as const;

/**
 * The function name the model sees for one MCP tool: `<registered tool's modelName>__<mcp tool
 * name>`, the MCP name with every character outside `[A-Za-z0-9_-]` as `_`, cut at 64 characters.
 */
export const mcpToolModelName = (toolModelName: string, mcpName: string): string =>
  `${toolModelName}__${mcpName.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);

const nodeErrorShape = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
  details: z.unknown().optional(),
});

/** `ToolTestResult` as a schema (the OpenAPI document's). */
export const toolTestResultSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    toolId: z.string(),
    kind: z.string(),
    output: z.unknown(),
    durationMs: z.number(),
    mcpTool: z.string().optional(),
  }),
  z.object({
    ok: z.literal(false),
    toolId: z.string(),
    kind: z.string(),
    error: nodeErrorShape,
    durationMs: z.number(),
    mcpTool: z.string().optional(),
  }),
]);

/** `ToolDiscoverResult` as a schema. */
export const toolDiscoverResultSchema = mcpDiscoverySchema.extend({
  toolId: z.string(),
  previousHash: z.string().optional(),
  changed: z.boolean(),
});
