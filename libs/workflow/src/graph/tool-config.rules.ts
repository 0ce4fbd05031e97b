import { childPath, isPlainObject } from '../field-path';
import type { NodeIssues } from './node-issue';

/** Inline tool kinds of ARCHITECTURE.md section 6; only `http` runs inline in this release. */
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
  issues.addTemplateErrors(config, 'config');
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
  } else if ((INLINE_TOOL_KINDS as readonly string[]).includes(kind)) {
    issues.add('config.tool.kind', `inline tool kind "${kind}" is not supported for now (only http)`);
  } else {
    issues.add('config.tool.kind', `unknown tool kind "${kind}" (known: ${INLINE_TOOL_KINDS.join(', ')})`);
  }
}

function checkHttpTool(tool: Record<string, unknown>, issues: NodeIssues): void {
  if (typeof tool.url !== 'string' || tool.url.trim() === '') {
    issues.add('config.tool.url', 'config.tool.url must be a non-empty string (a template)');
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
