import { createHash } from 'node:crypto';
import {
  mcpToolConfigSchema,
  mcpToolModelName,
  type McpDiscovery,
  type McpToolDefinition,
  type NodeTask,
  type RequestContext,
  type ToolView,
} from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import type { Keyring } from '@flowstack/vault';
import { renderTemplate } from '@flowstack/workflow';
import { type z } from 'zod';
import type { ToolDefinition } from '../llm/llm.types';
import { withSecrets, type SecretSource } from '../secrets/secret-resolver';
import { NodeFailure } from '../work/node-failure';
import { credentialHeaders } from './mcp-credential';
import { canonicalJson, definitionHash, discoveryOf } from './mcp-definition.hash';
import type { McpServerTarget, McpSessionPool } from './mcp-session.pool';

export const DEFAULT_MCP_TIMEOUT_MS = 30_000;

type McpConfig = z.infer<typeof mcpToolConfigSchema>;

/** What one MCP tool call outputs (a tool node's output, `/test`'s `output`). */
export interface McpCallOutput {
  /** The tool's content blocks as the server sent them (`text`, `image`, `resource`...). */
  content: unknown[];
  /** The tool's structured result, when it gave one. */
  structuredContent?: unknown;
  /** Every `text` block joined with newlines ("" when there is none). */
  text: string;
}

export interface McpToolsDeps {
  rpc: RpcClient;
  pool: McpSessionPool;
  keyring?: Keyring;
  /** Programs stdio servers may run (`MCP_STDIO_ALLOWLIST`): exact `command` strings. */
  stdioAllowlist: readonly string[];
  /** Whether an admin enabled stdio MCP servers for the workspace (`mcp.stdio` of the workspace settings). */
  stdioEnabled: (ctx: RequestContext) => Promise<boolean>;
  /** Opens the credentials that `headers` templates name as `{{ secrets.<name> }}`. */
  secrets?: SecretSource;
}

/** An MCP tool of a registered tool as an agent's model sees it. */
export interface McpAgentTool {
  definition: ToolDefinition;
  mcpName: string;
}

/**
 * Runs the tools of registered `mcp` tools: resolves the server (credential headers opened here,
 * header templates rendered over the task's scope, `args` and the `secrets.<name>` they name, stdio behind the workspace switch
 * and the allowlist), takes a pooled session, and refuses any tool whose live definition does not
 * hash to the one `POST /tools/{id}/discover` pinned (`mcp_tool_changed`), so a server cannot change
 * what a tool does or tells the model without someone accepting it.
 */
export class McpTools {
  constructor(private readonly deps: McpToolsDeps) {}

  /** Calls `mcpTool` (or the only tool allowed) with `args`. */
  async call(
    tool: ToolView,
    mcpTool: string | undefined,
    args: Record<string, unknown>,
    task: Pick<NodeTask, 'scope' | 'workspaceId'>,
    ctx: RequestContext,
    signal: AbortSignal,
  ): Promise<McpCallOutput> {
    const config = configOf(tool);
    const pin = this.pinned(tool, config, mcpTool);
    const timeoutMs = config.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS;
    return withSecrets(this.deps.secrets, config.headers, task.workspaceId, ctx.correlationId, async (secrets) => {
      const { key, target } = await this.target(tool, config, { ...task.scope, args, secrets }, task.workspaceId, ctx);
      return this.callOn(key, target, tool, pin, args, timeoutMs, signal);
    });
  }

  private callOn(
    key: string,
    target: McpServerTarget,
    tool: ToolView,
    pin: McpToolDefinition,
    args: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal,
  ): Promise<McpCallOutput> {
    const pool = this.deps.pool;
    return pool.use(key, target, timeoutMs, async (session) => {
      let live = (await pool.listTools(session, timeoutMs, signal)).find((t) => t.name === pin.name);
      // A cached list may predate a server change or a re-discovery: look again before refusing.
      if (!live || definitionHash(live) !== pin.hash) {
        live = (await pool.listTools(session, timeoutMs, signal, true)).find((t) => t.name === pin.name);
      }
      if (!live) throw new NodeFailure('mcp_tool_not_found', `the MCP server no longer lists the tool "${pin.name}"`);
      if (definitionHash(live) !== pin.hash) {
        throw new NodeFailure(
          'mcp_tool_changed',
          `the MCP server changed the definition of "${pin.name}" since it was discovered; ` +
            `POST /api/v1/tools/${tool.id}/discover accepts the new one`,
        );
      }
      const result = await session.client.callTool({ name: pin.name, arguments: args }, undefined, {
        timeout: timeoutMs,
        signal,
      });
      const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
      const text = content
        .filter((c): c is { type: 'text'; text: string } => (c as { type?: unknown }).type === 'text')
        .map((c) => c.text)
        .join('\n');
      const output: McpCallOutput = {
        content,
        ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
        text,
      };
      if (result.isError === true) {
        throw new NodeFailure('mcp_tool_error', `the MCP tool "${pin.name}" failed: ${text || 'no message'}`, false, output);
      }
      return output;
    });
  }

  /** Lists the server's tools afresh and pins every definition (the registry records it). */
  async discover(tool: ToolView, ctx: RequestContext, signal: AbortSignal): Promise<McpDiscovery> {
    const config = configOf(tool);
    const timeoutMs = config.timeoutMs ?? DEFAULT_MCP_TIMEOUT_MS;
    return withSecrets(this.deps.secrets, config.headers, ctx.workspaceId, ctx.correlationId, async (secrets) => {
      const { key, target } = await this.target(tool, config, { args: {}, secrets }, ctx.workspaceId, ctx);
      const list = await this.deps.pool.use(key, target, timeoutMs, (s) => this.deps.pool.listTools(s, timeoutMs, signal, true));
      return discoveryOf(list, new Date());
    });
  }

  /**
   * The LLM tools of a registered mcp tool: every pinned tool that `allowedTools` lets through,
   * named `<modelName>__<mcp name>` (`mcpToolModelName`), described and typed by its pinned
   * definition (never by what the server says now).
   */
  agentTools(tool: ToolView): McpAgentTool[] {
    const config = configOf(tool);
    if (!tool.mcp) throw notDiscovered(tool);
    const allowed = config.allowedTools ? new Set(config.allowedTools) : undefined;
    return tool.mcp.tools
      .filter((t) => !allowed || allowed.has(t.name))
      .map((t) => ({
        mcpName: t.name,
        definition: {
          name: mcpToolModelName(tool.modelName, t.name),
          description: t.description ?? t.title ?? t.name,
          inputSchema: t.inputSchema.type === 'object' ? t.inputSchema : { ...t.inputSchema, type: 'object' },
        },
      }));
  }

  private pinned(tool: ToolView, config: McpConfig, mcpTool: string | undefined): McpToolDefinition {
    if (!tool.mcp) throw notDiscovered(tool);
    const allowed = config.allowedTools;
    const offered = allowed ? tool.mcp.tools.filter((t) => allowed.includes(t.name)) : tool.mcp.tools;
    const name = mcpTool ?? (offered.length === 1 ? offered[0].name : undefined);
    if (name === undefined) {
      throw new NodeFailure(
        'invalid_config',
        `tool "${tool.name}" serves ${offered.length} MCP tools: name one with mcpTool (${offered
          .slice(0, 10)
          .map((t) => t.name)
          .join(', ')})`,
      );
    }
    if (allowed && !allowed.includes(name)) {
      throw new NodeFailure('mcp_tool_not_found', `the MCP tool "${name}" is not in the allowedTools of tool "${tool.name}"`);
    }
    const pin = tool.mcp.tools.find((t) => t.name === name);
    if (!pin) {
      throw new NodeFailure(
        'mcp_tool_not_found',
        `the MCP server of tool "${tool.name}" listed no tool "${name}" when it was discovered (${tool.mcp.discoveredAt})`,
      );
    }
    return pin;
  }

  private async target(
    tool: ToolView,
    config: McpConfig,
    scope: Record<string, unknown>,
    workspaceId: string,
    ctx: RequestContext,
  ): Promise<{ key: string; target: McpServerTarget }> {
    if (config.transport === 'stdio') {
      if (config.credentialId) throw new NodeFailure('invalid_config', 'a stdio MCP server takes no credentialId');
      if (!(await this.deps.stdioEnabled(ctx))) {
        throw new NodeFailure(
          'mcp_stdio_disabled',
          'stdio MCP servers are disabled in this workspace (an admin enables them: PUT /api/v1/workspaces/{id}/settings {"mcp":{"stdio":true}})',
        );
      }
      if (!this.deps.stdioAllowlist.includes(config.command!)) {
        throw new NodeFailure(
          'mcp_stdio_not_allowed',
          `the command "${config.command}" is not on this deployment's MCP_STDIO_ALLOWLIST`,
        );
      }
    }
    let headers: Record<string, string> = {};
    if (config.headers) {
      const rendered = await renderTemplate(config.headers, scope, { fairnessKey: workspaceId });
      headers = Object.fromEntries(
        Object.entries(rendered as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
    }
    if (config.credentialId) {
      headers = { ...headers, ...(await credentialHeaders(this.deps.rpc, this.deps.keyring, ctx, config.credentialId)) };
    }
    const target: McpServerTarget = {
      transport: config.transport,
      ...(config.serverUrl ? { serverUrl: config.serverUrl } : {}),
      ...(config.command ? { command: config.command, args: config.args ?? [] } : {}),
      headers,
    };
    // Per (workspace, server, credential): headers count as part of the server, hashed, never kept in clear.
    const key = createHash('sha256')
      .update(canonicalJson({ workspaceId, credentialId: config.credentialId ?? null, ...target }))
      .digest('hex');
    return { key, target };
  }
}

function configOf(tool: ToolView): McpConfig {
  if (tool.kind !== 'mcp') throw new NodeFailure('invalid_config', `tool "${tool.name}" is of kind ${tool.kind}, not mcp`);
  const parsed = mcpToolConfigSchema.safeParse(tool.config);
  if (!parsed.success) throw new NodeFailure('invalid_config', `the mcp config of tool "${tool.name}" is invalid`);
  return parsed.data;
}

const notDiscovered = (tool: ToolView): NodeFailure =>
  new NodeFailure(
    'mcp_not_discovered',
    `tool "${tool.name}" has not been discovered: POST /api/v1/tools/${tool.id}/discover pins its server's tools first`,
  );
