import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { NodeFailure } from '../work/node-failure';

/**
 * The error codes of MCP tools (documented in the README):
 * - `mcp_unavailable` (retryable): the server could not be reached, refused, answered 5xx, or closed the session;
 * - `mcp_auth_failed`: the server answered 401 or 403 (the credential or headers are wrong);
 * - `mcp_http_error`: any other 4xx of the server's HTTP endpoint (the status in `details`);
 * - `mcp_timeout` (retryable): no answer within the tool's `timeoutMs`;
 * - `mcp_not_discovered`: the tool has no discovery yet (`POST /tools/{id}/discover` pins its definitions);
 * - `mcp_tool_changed`: the server's definition no longer matches the pinned one (re-discover to accept it);
 * - `mcp_tool_not_found`: the server has no such tool, or `allowedTools` leaves it out;
 * - `mcp_tool_error`: the tool answered `isError: true` (its content in `details`);
 * - `mcp_response_too_large`: one HTTP answer above `MAX_MCP_RESPONSE_BYTES` (the session is closed);
 * - `mcp_invalid_arguments`: the server refused the arguments (JSON-RPC invalid params);
 * - `mcp_protocol_error`: any other JSON-RPC error of the server;
 * - `mcp_stdio_disabled` / `mcp_stdio_not_allowed`: stdio needs the workspace switch and the allowlist;
 * - `mcp_pool_exhausted` (retryable): every pooled session is busy and the pool is at its bound.
 */
export function mcpFailure(e: unknown, what: string, timeoutMs: number): NodeFailure {
  const inner = findNodeFailure(e);
  if (inner) return inner;
  if (e instanceof McpError) {
    if (e.code === (ErrorCode.RequestTimeout as number)) {
      return new NodeFailure('mcp_timeout', `${what}: no answer within ${timeoutMs} ms`, true);
    }
    if (e.code === (ErrorCode.ConnectionClosed as number)) {
      return new NodeFailure('mcp_unavailable', `${what}: the server closed the connection`, true);
    }
    if (e.code === (ErrorCode.InvalidParams as number)) {
      return new NodeFailure('mcp_invalid_arguments', `${what}: ${e.message}`);
    }
    return new NodeFailure('mcp_protocol_error', `${what}: ${e.message}`, false, { code: e.code });
  }
  if (e instanceof UnauthorizedError) return new NodeFailure('mcp_auth_failed', `${what}: the server answered 401`);
  if (e instanceof StreamableHTTPError || e instanceof SseError) {
    const status = e.code ?? 0;
    if (status === 401 || status === 403) {
      return new NodeFailure('mcp_auth_failed', `${what}: the server answered ${status}`, false, { status });
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      return new NodeFailure('mcp_http_error', `${what}: the server answered ${status}`, false, { status });
    }
    return new NodeFailure('mcp_unavailable', `${what}: ${e.message}`, true, status > 0 ? { status } : undefined);
  }
  const message = e instanceof Error ? e.message : String(e);
  if ((e as Error)?.name === 'AbortError' || (e as Error)?.name === 'TimeoutError') {
    return new NodeFailure('mcp_timeout', `${what}: no answer within ${timeoutMs} ms`, true);
  }
  return new NodeFailure('mcp_unavailable', `${what}: ${message}`, true);
}

/** A NodeFailure anywhere in the cause chain (the outbound guard's `address_not_allowed` comes wrapped). */
function findNodeFailure(e: unknown): NodeFailure | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 6; depth++) {
    if (cur instanceof NodeFailure) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
