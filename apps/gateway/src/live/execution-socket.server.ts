import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { FlowstackError, Rpc, httpStatusOf, type Page, type RequestContext, type StoredEventView } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { bearerTokenOf } from '../auth/bearer-token';
import { PrincipalVerifier } from '../auth/principal.verifier';
import { traceparentOf } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { CORRELATION_HEADER, correlationIdOf } from '../http/correlation-id';
import { ExecutionEventsHub } from './execution-events.hub';
import { ExecutionWatch } from './execution-watch';
import type { LiveEvent } from './live-event';
import { SocketHeartbeat } from './socket-heartbeat';
import { upgradeTargetOf, type WatchTarget } from './upgrade-target';

const AUTH_TIMEOUT_MS = 10_000;
/** Largest WebSocket message accepted from a client (the auth message is all it ever sends). */
const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
/** Seconds a client refused for the socket cap is told to wait. */
const CAP_RETRY_AFTER_S = 5;

/**
 * `WS /ws/executions/{id}` on the gateway's HTTP port. A token in the `Authorization` header is
 * checked before the upgrade (bad token: HTTP 401; unknown or another workspace's execution: HTTP
 * 404; malformed id or `fromSeq`: HTTP 400; over the socket cap: 503 with `Retry-After`). Browsers,
 * which cannot set headers, send `{"type":"auth","token":"..."}` first instead; a failure then
 * closes the socket with 4400/4401/4404 after an `error` message.
 *
 * Nothing a client sends can take the process down: every raw socket and every WebSocket has an
 * `error` listener (an oversized or invalid UTF-8 frame closes that socket with 1009/1007), the
 * whole upgrade runs inside one try, sockets are pinged and cut when they stop answering, and
 * slow readers are closed with 1013 rather than buffered without bound.
 */
@Injectable()
export class ExecutionSocketServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ws');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_MESSAGE_BYTES });
  private readonly heartbeat: SocketHeartbeat;
  /** Upgrades being authenticated before the handshake: they count against the cap too. */
  private pending = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly rpc: RpcClient,
    private readonly hub: ExecutionEventsHub,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly verifier: PrincipalVerifier,
  ) {
    this.heartbeat = new SocketHeartbeat(() => this.wss.clients, config.wsPingMs);
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Node removes its own listeners from an upgraded socket: without one, a reset kills us.
      socket.on('error', (e) => this.logger.debug(`upgrade socket error: ${e.message}`));
      this.onUpgrade(req, socket, head).catch((e: unknown) => this.refuse(socket, e));
    });
    this.heartbeat.start();
  }

  onApplicationShutdown(): void {
    this.heartbeat.stop();
    for (const client of this.wss.clients) client.close(1001, 'gateway shutting down');
    this.wss.close();
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.wss.clients.size + this.pending >= this.config.maxSockets) {
      throw new FlowstackError('unavailable', 'too many live connections on this gateway', undefined, CAP_RETRY_AFTER_S);
    }
    const target = upgradeTargetOf(req);
    const token = bearerTokenOf(headerOf(req, 'authorization'));
    if (!token) {
      this.upgrade(req, socket, head, (ws) => this.awaitAuthMessage(ws, req, target));
      return;
    }
    this.pending++;
    try {
      const ctx = await this.authenticate(token, target.workspaceId, req);
      const started = await this.firstEvent(target.executionId, ctx);
      this.upgrade(req, socket, head, (ws) => this.watch(ws, target, ctx, started));
    } finally {
      this.pending--;
    }
  }

  /** Completes the handshake and gives the WebSocket its listeners before anything else can happen. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      // `ws` has already sent the close frame (1009 too big, 1007 invalid UTF-8) when this fires.
      ws.on('error', (e) => this.logger.debug(`socket closed on a bad frame: ${e.message}`));
      this.heartbeat.track(ws);
      try {
        then(ws);
      } catch (e) {
        this.logger.error(`live socket failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        ws.close(1011, 'internal error');
      }
    });
  }

  private refuse(socket: Duplex, e: unknown): void {
    const error = e instanceof FlowstackError ? e : new FlowstackError('internal', 'internal error');
    if (!(e instanceof FlowstackError)) this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    reject(socket, httpStatusOf(error.code), error.message, error.retryAfter);
  }

  private awaitAuthMessage(ws: WebSocket, req: IncomingMessage, target: WatchTarget): void {
    const timer = setTimeout(() => fail(ws, new FlowstackError('unauthenticated', 'no auth message received')), AUTH_TIMEOUT_MS);
    ws.once('close', () => clearTimeout(timer));
    ws.once('message', (raw) => {
      clearTimeout(timer);
      void (async () => {
        try {
          const message = parseAuthMessage(raw);
          const ctx = await this.authenticate(message.token, message.workspaceId ?? target.workspaceId, req);
          this.watch(ws, target, ctx, await this.firstEvent(target.executionId, ctx));
        } catch (e) {
          if (!(e instanceof FlowstackError)) this.logger.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
          fail(ws, e instanceof FlowstackError ? e : new FlowstackError('internal', 'internal error'));
        }
      })();
    });
  }

  private watch(ws: WebSocket, target: WatchTarget, ctx: RequestContext, started: LiveEvent): void {
    const watch = new ExecutionWatch(
      ws,
      target.executionId,
      ctx,
      this.rpc,
      this.hub,
      target.fromSeq,
      this.config.wsMaxBufferedBytes,
    );
    watch.start(started);
  }

  private async authenticate(token: string, workspaceId: string | undefined, req: IncomingMessage): Promise<RequestContext> {
    const correlationId = correlationIdOf(req.headers[CORRELATION_HEADER]);
    const traceparent = traceparentOf(headerOf(req, 'traceparent'));
    const principal = await this.verifier.verify(token, workspaceId || undefined);
    return {
      workspaceId: principal.workspaceId,
      actor: { id: principal.userId, type: 'user', role: principal.role },
      correlationId,
      traceparent,
    };
  }

  /** The execution's first event; also the tenancy check (404 for anyone else's execution). */
  private async firstEvent(executionId: string, ctx: RequestContext): Promise<LiveEvent> {
    const page = await this.rpc.request<Page<StoredEventView>>(
      Rpc.orchestrator.executionEvents,
      { executionId, afterSeq: 0, limit: 1 },
      ctx,
    );
    const first = page.items[0];
    if (!first) throw new FlowstackError('not_found', 'execution not found');
    return { seq: first.seq, type: first.type, data: first.data as Record<string, unknown>, recordedAt: first.recordedAt };
  }
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * The browser's first message: `{"type":"auth","token":"...","workspaceId"?:"..."}`. Anything
 * that is not a JSON object is `validation_failed` (close 4400); an object without a token is
 * `unauthenticated` (4401).
 */
function parseAuthMessage(raw: RawData): { token: string; workspaceId?: string } {
  const text = (Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer)).toString('utf8');
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    throw new FlowstackError('validation_failed', 'auth message is not valid JSON');
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    throw new FlowstackError('validation_failed', 'auth message must be a JSON object: {"type":"auth","token":"..."}');
  }
  const { type, token, workspaceId } = message as Record<string, unknown>;
  if (type !== 'auth' || typeof token !== 'string' || token.length === 0) {
    throw new FlowstackError('unauthenticated', 'first message must be {"type":"auth","token":"..."}');
  }
  if (workspaceId !== undefined && typeof workspaceId !== 'string') {
    throw new FlowstackError('validation_failed', 'workspaceId in the auth message must be a string');
  }
  return { token, workspaceId };
}

function reject(socket: Duplex, status: number, message: string, retryAfter?: number): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const body = JSON.stringify({ title: message, status });
  socket.end(
    `HTTP/1.1 ${status} ${message.replace(/[^\x20-\x7e]/g, ' ')}\r\nContent-Type: application/problem+json\r\n` +
      `X-Content-Type-Options: nosniff\r\n${retryAfter !== undefined ? `Retry-After: ${retryAfter}\r\n` : ''}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function fail(ws: WebSocket, error: FlowstackError): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(JSON.stringify({ type: 'error', code: error.code, message: error.message }), () => undefined);
  ws.close(CLOSE_CODES[error.code] ?? 4400, error.code);
}

/** Close codes after an `error` message: 44xx mirror the HTTP statuses, 1011/1013 are the server's. */
const CLOSE_CODES: Partial<Record<FlowstackError['code'], number>> = {
  unauthenticated: 4401,
  not_found: 4404,
  unavailable: 1013,
  internal: 1011,
};
