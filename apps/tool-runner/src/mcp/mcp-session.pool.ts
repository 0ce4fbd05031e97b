import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FetchLike, Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { Limits } from '@flowstack/contracts';
import { assertLiteralHostAllowed, guardedLookup } from '../http/outbound-guard';
import { NodeFailure } from '../work/node-failure';
import { mcpFailure } from './mcp-failure';
import type { ListedMcpTool } from './mcp-definition.hash';

/** Where one MCP server is and how to reach it, credential headers resolved. */
export interface McpServerTarget {
  transport: 'streamable_http' | 'sse' | 'stdio';
  serverUrl?: string;
  command?: string;
  args?: string[];
  headers: Record<string, string>;
}

export interface McpPoolOptions {
  /** A session unused this long is closed (`MCP_SESSION_IDLE_MS`). */
  idleMs: number;
  /** Sessions open at most (`MCP_MAX_SESSIONS`); the least recently used idle one makes room. */
  maxSessions: number;
  /** A session's tool list is listed again after this long (`MCP_TOOL_LIST_TTL_MS`); list_changed clears it at once. */
  toolListTtlMs: number;
  /** The outbound policy of http tools (`TOOL_HTTP_ALLOW_PRIVATE`), applied to `serverUrl` too. */
  allowPrivateNetwork: boolean;
  now?: () => number;
}

/** One open MCP client session. */
export interface McpSession {
  readonly key: string;
  readonly client: Client;
  inFlight: number;
  lastUsed: number;
  tools?: { list: ListedMcpTool[]; at: number };
  closed: boolean;
  /** Calls in a row that timed out; at `DROP_AFTER_TIMEOUTS` the session is taken for hung. */
  timeouts: number;
  /** What the session's fetch saw that the transport reports without its cause (a guard refusal, a too large answer). */
  fetchFailure: FetchFailure;
}

/** A failure the session's fetch saw, and how to end the session's requests at once (`trip`). */
interface FetchFailure {
  failure?: NodeFailure;
  trip?: () => void;
}

/**
 * The bytes one HTTP answer of a server may have (a JSON-RPC response, or the SSE stream of one
 * request): a node's output may be 16 MiB of JSON at most, and the answer carries it with framing.
 */
export const MAX_MCP_RESPONSE_BYTES = Limits.maxValueBytes + 1024 * 1024;

/** One slow tool does not break a shared session; this many timeouts in a row, with no answer between, do. */
const DROP_AFTER_TIMEOUTS = 3;

const CLIENT_INFO = { name: 'flowstack-tool-runner', version: '1.0.0' };

/**
 * MCP client sessions pooled by key (the caller's (workspace, server, credential) hash): one
 * connection per key shared by every call, closed after `idleMs` unused, at most `maxSessions`
 * open. A session whose transport closes or fails leaves the pool, and the next call connects
 * again, so a server that restarts costs one failed call at most; a call that times out leaves the
 * session to the others unless it is the third in a row. HTTP transports go through an
 * undici agent whose DNS lookup refuses private addresses unless the deployment allows them (the
 * same guard as http tools), checked again on every connection and redirect.
 */
export class McpSessionPool {
  private readonly sessions = new Map<string, Promise<McpSession>>();
  private readonly dispatcher: Agent;
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly options: McpPoolOptions) {
    this.now = options.now ?? Date.now;
    this.dispatcher = new Agent({
      keepAliveTimeout: 10_000,
      ...(options.allowPrivateNetwork ? {} : { connect: { lookup: guardedLookup } }),
    });
    this.sweeper = setInterval(() => void this.closeIdle(), Math.max(250, Math.min(options.idleMs / 2, 30_000)));
    this.sweeper.unref();
  }

  /** Sessions open (or connecting) now. */
  get size(): number {
    return this.sessions.size;
  }

  /**
   * Runs `fn` on the session of `key`, connecting first when there is none. A failure that says
   * the session is broken (`mcp_unavailable`, `mcp_timeout`) closes it, so the next call starts afresh.
   */
  async use<T>(key: string, target: McpServerTarget, timeoutMs: number, fn: (s: McpSession) => Promise<T>): Promise<T> {
    const session = await this.acquire(key, target, timeoutMs);
    session.inFlight++;
    session.lastUsed = this.now();
    try {
      const result = await fn(session);
      session.timeouts = 0;
      return result;
    } catch (e) {
      const seen = session.fetchFailure.failure;
      session.fetchFailure.failure = undefined;
      const failure = seen ?? (e instanceof NodeFailure ? e : mcpFailure(e, describe(target), timeoutMs));
      if (failure.code === 'mcp_timeout') session.timeouts++;
      else if (!failure.retryable) session.timeouts = 0;
      if (failure.code === 'mcp_unavailable' || session.timeouts >= DROP_AFTER_TIMEOUTS) void this.drop(session);
      throw failure;
    } finally {
      session.inFlight--;
      session.lastUsed = this.now();
    }
  }

  /** The server's tools (every page), from the session's cache unless `fresh` or older than the TTL. */
  async listTools(session: McpSession, timeoutMs: number, signal: AbortSignal, fresh = false): Promise<ListedMcpTool[]> {
    const cached = session.tools;
    if (!fresh && cached && this.now() - cached.at < this.options.toolListTtlMs) return cached.list;
    const list: ListedMcpTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page++) {
      const answer = await session.client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs, signal });
      list.push(...(answer.tools as ListedMcpTool[]));
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    session.tools = { list, at: this.now() };
    return list;
  }

  /** Nest calls it at shutdown (the pool is a factory provider). */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map(async (p) => this.closeSession(await p.catch(() => undefined))));
    await this.dispatcher.close();
  }

  private async acquire(key: string, target: McpServerTarget, timeoutMs: number): Promise<McpSession> {
    const existing = this.sessions.get(key);
    if (existing) {
      const session = await existing;
      if (!session.closed) return session;
    }
    await this.makeRoom();
    const connecting = this.connect(key, target, timeoutMs);
    this.sessions.set(key, connecting);
    try {
      return await connecting;
    } catch (e) {
      if (this.sessions.get(key) === connecting) this.sessions.delete(key);
      throw e;
    }
  }

  private async connect(key: string, target: McpServerTarget, timeoutMs: number): Promise<McpSession> {
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const session: McpSession = {
      key,
      client,
      inFlight: 0,
      lastUsed: this.now(),
      closed: false,
      timeouts: 0,
      // The SDK does not fail a request whose answer stream broke: closing the client fails it now.
      fetchFailure: { trip: () => void client.close() },
    };
    client.onclose = () => {
      session.closed = true;
      if (this.sessions.get(key) !== undefined) void this.forget(session);
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      session.tools = undefined;
    });
    // The SSE transport reports a failed connection without its cause: the fetch keeps the guard's refusal.
    const refusal = session.fetchFailure;
    try {
      await client.connect(this.transportFor(target, refusal), { timeout: timeoutMs });
    } catch (e) {
      await client.close().catch(() => undefined);
      throw refusal.failure ?? mcpFailure(e, `connecting to ${describe(target)}`, timeoutMs);
    }
    return session;
  }

  /** undici's fetch on the pool's (guarded) agent; a refusal of the outbound guard is kept in `refusal`. */
  private fetchFor(refusal: FetchFailure): FetchLike {
    return async (url, init) => {
      const headers = init?.headers ? Object.fromEntries(new Headers(init.headers).entries()) : undefined;
      try {
        const response = await undiciFetch(url, {
          ...(init as object),
          ...(headers ? { headers } : {}),
          dispatcher: this.dispatcher,
        });
        // POST answers carry results: bounded, so a server cannot fill the runner's memory. (The
        // long-lived GET stream of notifications carries no results and is not counted.)
        if (init?.method !== 'POST' || !response.body) return response;
        return new Response(response.body.pipeThrough(byteLimit(MAX_MCP_RESPONSE_BYTES, refusal)), {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } catch (e) {
        const cause = (e as { cause?: unknown }).cause;
        if (cause instanceof NodeFailure) refusal.failure = cause;
        throw e;
      }
    };
  }

  private transportFor(target: McpServerTarget, refusal: FetchFailure): Transport {
    if (target.transport === 'stdio') {
      return new StdioClientTransport({
        command: target.command!,
        args: target.args ?? [],
        // PATH, HOME, USER...: never the runner's own secrets (master key, NATS password).
        env: getDefaultEnvironment(),
        stderr: 'ignore',
      });
    }
    const url = new URL(target.serverUrl!);
    if (!this.options.allowPrivateNetwork) assertLiteralHostAllowed(url);
    const options = { requestInit: { headers: target.headers }, fetch: this.fetchFor(refusal) };
    return target.transport === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
  }

  /** At the bound: the least recently used idle session goes; none idle -> `mcp_pool_exhausted`. */
  private async makeRoom(): Promise<void> {
    if (this.sessions.size < this.options.maxSessions) return;
    let oldest: McpSession | undefined;
    for (const p of this.sessions.values()) {
      const s = await p.catch(() => undefined);
      if (s && s.inFlight === 0 && (!oldest || s.lastUsed < oldest.lastUsed)) oldest = s;
    }
    if (!oldest) {
      throw new NodeFailure(
        'mcp_pool_exhausted',
        `all ${this.options.maxSessions} MCP sessions of this runner are busy (MCP_MAX_SESSIONS)`,
        true,
      );
    }
    await this.drop(oldest);
  }

  /** Closes the sessions unused for `idleMs` (a timer calls it; tests may too). */
  async closeIdle(): Promise<void> {
    const cutoff = this.now() - this.options.idleMs;
    for (const p of [...this.sessions.values()]) {
      const s = await p.catch(() => undefined);
      if (s && s.inFlight === 0 && s.lastUsed < cutoff) await this.drop(s);
    }
  }

  private async drop(session: McpSession): Promise<void> {
    await this.forget(session);
    await this.closeSession(session);
  }

  private async forget(session: McpSession): Promise<void> {
    const current = this.sessions.get(session.key);
    if (current && (await current.catch(() => undefined)) === session) this.sessions.delete(session.key);
  }

  private async closeSession(session: McpSession | undefined): Promise<void> {
    if (!session || session.closed) return;
    session.closed = true;
    const transport = session.client.transport;
    if (transport instanceof StreamableHTTPClientTransport) await transport.terminateSession().catch(() => undefined);
    await session.client.close().catch(() => undefined);
  }
}

const describe = (t: McpServerTarget): string =>
  t.transport === 'stdio' ? `the MCP server "${t.command}" (stdio)` : `the MCP server ${new URL(t.serverUrl!).origin}`;

/** Passes bytes through until `limit`, then fails the stream and records `mcp_response_too_large`. */
function byteLimit(limit: number, holder: FetchFailure): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) {
        const failure = new NodeFailure('mcp_response_too_large', `the MCP server's answer exceeds ${limit} bytes`);
        holder.failure = failure;
        controller.error(failure);
        holder.trip?.();
        return;
      }
      controller.enqueue(chunk);
    },
  });
}
