import { TOOL_CONFIG_SCHEMAS } from '@flowstack/contracts';
import { childPath, isPlainObject } from '../field-path';
import { parseTemplate } from '../template/template.parser';
import type { NodeIssues } from './node-issue';

/** Tool kinds of ARCHITECTURE.md section 6; all but `mcp` run inline (an mcp tool must be registered and discovered). */
export const INLINE_TOOL_KINDS = ['http', 'mcp', 'python', 'shell', 'builtin'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
/** Upper bound of an http tool's `timeoutMs`: five minutes. */
export const MAX_HTTP_TIMEOUT_MS = 300_000;

/**
 * A `tool` node's config: `{ toolId, args? }` (a registered tool, whose existence the registry
 * checks) or `{ tool: { kind, ...kind config }, args? }` (an inline tool). Every string anywhere
 * in the config is a template and must compile.
 */
export function checkToolConfig(config: Record<string, unknown>, issues: NodeIssues): void {
  const hasToolId = config.toolId !== undefined;
  const hasTool = config.tool !== undefined;
  if (hasToolId && hasTool) {
    issues.add('config', 'give either config.toolId or config.tool, not both');
  } else if (!hasToolId && !hasTool) {
    issues.add('config', 'needs config.toolId (a registered tool) or config.tool (an inline tool with a kind)');
  }
  if (hasToolId && (typeof config.toolId !== 'string' || config.toolId.trim() === '')) {
    issues.add('config.toolId', 'config.toolId must be a non-empty string');
  }
  if (hasTool) checkInlineTool(config.tool, issues);
  issues.addTemplateErrors(withoutSourceCode(config), 'config');
}

function checkInlineTool(tool: unknown, issues: NodeIssues): void {
  if (!isPlainObject(tool)) {
    issues.add('config.tool', 'config.tool must be an object with a kind');
    return;
  }
  const kind = tool.kind;
  if (typeof kind !== 'string') {
    issues.add('config.tool.kind', `config.tool.kind must be one of ${INLINE_TOOL_KINDS.join(', ')}`);
  } else if (kind === 'http') {
    checkHttpTool(tool, issues);
  } else if (kind === 'python' || kind === 'shell' || kind === 'builtin') {
    const { kind: _kind, ...rest } = tool;
    const parsed = TOOL_CONFIG_SCHEMAS[kind].safeParse(rest);
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const path = issue.path.reduce<string>((p, k) => childPath(p, typeof k === 'number' ? k : String(k)), 'config.tool');
      issues.add(path, issue.message);
    }
  } else if (kind === 'mcp') {
    // An MCP server's tools run only once discovered: discovery pins each definition (its hash),
    // and every call is checked against the pin (`mcp_tool_changed`). An inline server has no pin.
    issues.add(
      'config.tool.kind',
      'inline mcp tools are refused: register the server (POST /api/v1/tools, kind "mcp"), pin its tools with ' +
        'POST /api/v1/tools/{id}/discover, and use { "toolId", "mcpTool", "args" } here',
    );
  } else {
    issues.add('config.tool.kind', `unknown tool kind "${kind}" (known: ${INLINE_TOOL_KINDS.join(', ')})`);
  }
}

function checkHttpTool(tool: Record<string, unknown>, issues: NodeIssues): void {
  if (typeof tool.url !== 'string' || tool.url.trim() === '') {
    issues.add('config.tool.url', 'config.tool.url must be a non-empty string (a template)');
  } else {
    const scheme = literalSchemeOf(tool.url);
    if (scheme !== undefined && !HTTP_SCHEMES.includes(scheme)) {
      issues.add('config.tool.url', `config.tool.url must be an http: or https: URL, not ${scheme}:`);
    }
  }
  if (tool.method !== undefined && !(HTTP_METHODS as readonly unknown[]).includes(tool.method)) {
    issues.add('config.tool.method', `config.tool.method must be one of ${HTTP_METHODS.join(', ')}`);
  }
  if (tool.headers !== undefined) {
    if (!isPlainObject(tool.headers)) {
      issues.add('config.tool.headers', 'config.tool.headers must be an object of strings');
    } else {
      for (const [name, value] of Object.entries(tool.headers)) {
        if (typeof value !== 'string') {
          issues.add(childPath('config.tool.headers', name), `header "${name}" must be a string (a template)`);
        }
      }
    }
  }
  const timeout = tool.timeoutMs;
  const validTimeout = typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_HTTP_TIMEOUT_MS;
  if (timeout !== undefined && !validTimeout) {
    issues.add(
      'config.tool.timeoutMs',
      `config.tool.timeoutMs must be a positive integer no greater than ${MAX_HTTP_TIMEOUT_MS}`,
    );
  }
}

/**
 * The config without an inline python tool's `code` and a shell tool's `command`: source code runs
 * as is (it never is a template), so `{{` in it is no template error.
 */
function withoutSourceCode(config: Record<string, unknown>): Record<string, unknown> {
  const tool = config.tool;
  if (!isPlainObject(tool) || (tool.kind !== 'python' && tool.kind !== 'shell')) return config;
  const { code: _code, command: _command, ...rest } = tool;
  return { ...config, tool: rest };
}

/** The only URL schemes an http tool may call (the tool-runner refuses the others at run too). */
const HTTP_SCHEMES: readonly string[] = ['http', 'https'];

/**
 * The scheme of a URL template when its literal text before the first `{{ }}` already shows one,
 * lower-cased; undefined when the scheme comes from an expression (or the template does not
 * parse, which the template check reports). Reads the prefix the way WHATWG URL does: leading
 * C0 controls and spaces are stripped, tabs and newlines anywhere are dropped, so
 * `" fi\tle:///etc"` is `file`.
 */
function literalSchemeOf(url: string): string | undefined {
  let prefix: string;
  try {
    const [first] = parseTemplate(url);
    prefix = first?.kind === 'text' ? first.text : '';
  } catch {
    return undefined;
  }
  const cleaned = prefix.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1].toLowerCase();
}
