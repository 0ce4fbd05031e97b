import { createHash } from 'node:crypto';
import type { McpDiscovery, McpToolDefinition } from '@flowstack/contracts';

/** A tool as an MCP server lists it (`tools/list`), the fields that matter to a model. */
export interface ListedMcpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth: one text per value, whatever the server's key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The hash of one definition: everything a model reads or a call depends on (name, title,
 * description, input and output schemas, annotations). A server that changes any of it after
 * discovery changes the hash, and the runner refuses the tool (`mcp_tool_changed`).
 */
export function definitionHash(tool: ListedMcpTool): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = tool;
  return sha256(canonicalJson({ name, title, description, inputSchema, outputSchema, annotations }));
}

/** The pinned form of a listed tool. */
export function pinOf(tool: ListedMcpTool): McpToolDefinition {
  return {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
    hash: definitionHash(tool),
  };
}

/** A discovery of a whole list: every tool pinned, the list's hash over `name:hash` sorted by name. */
export function discoveryOf(tools: ListedMcpTool[], at: Date): McpDiscovery {
  const pins = tools.map(pinOf).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { hash: sha256(pins.map((p) => `${p.name}:${p.hash}`).join('\n')), discoveredAt: at.toISOString(), tools: pins };
}
