import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  FlowstackError,
  Rpc,
  httpStatusOf,
  type Page,
  type RequestContext,
  type ResolvedPrincipal,
  type StoredEventView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { bearerTokenOf } from '../auth/auth.guard';
import { correlationIdOf, traceparentOf } from '../auth/request-context';
import { ExecutionEventsHub } from './execution-events.hub';
import { ExecutionWatch } from './execution-watch';
import type { LiveEvent } from './live-event';

const PATH = /^\/ws\/executions\/([^/]+)\/?$/;
const AUTH_TIMEOUT_MS = 10_000;

interface Target {
  executionId: string;
  fromSeq: number;
  workspaceId?: string;
}

/**
 * `WS /ws/executions/{id}` on the gateway's HTTP port. A token in the `Authorization` header is
 * checked before the upgrade (bad token: HTTP 401; unknown or another workspace's execution: HTTP
 * 404). Browsers, which cannot set headers, send `{"type":"auth","token":"..."}` first instead; a
 * failure then closes the socket with 4401/4404 after an `error` message.
 */
@Injectable()
export class ExecutionSocketServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ws');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly rpc: RpcClient,
    private readonly hub: ExecutionEventsHub,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.onUpgrade(req, socket, head);
    });
  }

  onApplicationShutdown(): void {
    for (const client of this.wss.clients) client.close(1001, 'gateway shutting down');
    this.wss.close();
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://gateway');
    const match = PATH.exec(url.pathname);
    if (!match) return reject(socket, 404, 'no such endpoint');
    const fromSeq = Number(url.searchParams.get('fromSeq') ?? 0);
    if (!Number.isInteger(fromSeq) || fromSeq < 0) return reject(socket, 400, 'fromSeq must be a non-negative integer');
    const header = (name: string): string | undefined => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const target: Target = {
      executionId: decodeURIComponent(match[1]),
      fromSeq,
      workspaceId: header('x-workspace-id') ?? url.searchParams.get('workspaceId') ?? undefined,
    };
    const token = bearerTokenOf(header('authorization'));
    if (!token) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.awaitAuthMessage(ws, req, target));
      return;
    }
    try {
      const ctx = await this.authenticate(token, target.workspaceId, req);
      const started = await this.firstEvent(target.executionId, ctx);
      this.wss.handleUpgrade(req, socket, head, (ws) => this.watch(ws, target, ctx, started));
    } catch (e) {
      const error = e instanceof FlowstackError ? e : new FlowstackError('internal', 'internal error');
      if (!(e instanceof FlowstackError)) this.logger.error(String(e));
      reject(socket, httpStatusOf(error.code), error.message);
    }
  }

  private awaitAuthMessage(ws: WebSocket, req: IncomingMessage, target: Target): void {
    const timer = setTimeout(() => fail(ws, new FlowstackError('unauthenticated', 'no auth message received')), AUTH_TIMEOUT_MS);
    ws.once('message', (raw) => {
      clearTimeout(timer);
      void (async () => {
        try {
          const message = JSON.parse(
            Buffer.isBuffer(raw) ? raw.toString('utf8') : Buffer.concat(raw as Buffer[]).toString('utf8'),
          ) as { type?: string; token?: string; workspaceId?: string };
          if (message.type !== 'auth' || typeof message.token !== 'string') {
            throw new FlowstackError('unauthenticated', 'first message must be {"type":"auth","token":"..."}');
          }
          const ctx = await this.authenticate(message.token, message.workspaceId ?? target.workspaceId, req);
          this.watch(ws, target, ctx, await this.firstEvent(target.executionId, ctx));
        } catch (e) {
          fail(ws, e instanceof FlowstackError ? e : new FlowstackError('validation_failed', 'auth message is not valid JSON'));
        }
      })();
    });
  }

  private watch(ws: WebSocket, target: Target, ctx: RequestContext, started: LiveEvent): void {
    new ExecutionWatch(ws, target.executionId, ctx, this.rpc, this.hub, target.fromSeq).start(started);
  }

  private async authenticate(token: string, workspaceId: string | undefined, req: IncomingMessage): Promise<RequestContext> {
    const correlationId = correlationIdOf(req.headers['x-correlation-id'] as string | undefined);
    const traceparent = traceparentOf(req.headers.traceparent as string | undefined);
    const principal = await this.rpc.request<ResolvedPrincipal>(
      Rpc.identity.resolve,
      { token, workspaceId },
      { workspaceId: '', actor: { id: 'anonymous', type: 'user' }, correlationId, traceparent },
    );
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
    return { seq: first.seq, type: first.type, data: first.data as Record<string, unknown>, recordedAt: first.recordedAt };
  }
}

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ title: message, status });
  socket.end(
    `HTTP/1.1 ${status} ${message.replace(/[\r\n]/g, ' ')}\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function fail(ws: WebSocket, error: FlowstackError): void {
  ws.send(JSON.stringify({ type: 'error', code: error.code, message: error.message }));
  ws.close(error.code === 'not_found' ? 4404 : error.code === 'unauthenticated' ? 4401 : 4400, error.code);
}
