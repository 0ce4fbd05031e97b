import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import {
  FlowstackError,
  Rpc,
  type ExecutionView,
  type RequestContext,
  type ResolvedPrincipal,
  type Role,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { hasRole, requiredRoleOf } from '../access/access-policy';
import { bearerTokenOf } from '../auth/bearer-token';
import { Public } from '../auth/public.decorator';
import { actorOf, traceparentOf } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { CORRELATION_HEADER, correlationIdOf } from '../http/correlation-id';
import { parseAuthMessage, type ClientFrame } from './auth-message';
import { AgentChunksHub } from './agent-chunks.hub';
import { ExecutionEventsHub } from './execution-events.hub';
import { ExecutionWatch } from './execution-watch';
import { firstStoredEvent, QueuedWait } from './queued-wait';
import type { LiveEvent } from './live-event';
import { CLIENT_FRAME_EVENT } from './live-socket.adapter';
import { SocketAuthenticator, type CallOrigin } from './socket-authenticator';
import { SocketHeartbeat } from './socket-heartbeat';
import { SocketSessions } from './socket-sessions';
import { refusalOf } from './upgrade-edge';
import { upgradeTargetOf, type WatchTarget } from './upgrade-target';
import { openSockets } from './socket.metrics';

/** This socket's row in `ACCESS_POLICY`. */
export const WATCH_ACTION = 'WS /ws/executions/{id}';
/** Where the live sockets are: `/ws/executions/{id}` (the adapter routes everything below it here). */
export const LIVE_PATH = '/ws/executions';
/** Largest WebSocket message accepted from a client (the auth message is all it ever sends): 1009 above. */
export const MAX_CLIENT_MESSAGE_BYTES = 64 * 1024;
/** Seconds a client refused for the socket cap is told to wait. */
const CAP_RETRY_AFTER_S = 5;

/** What the upgrade settled before the handshake, for the connection that follows it. */
interface Upgrade {
  target: WatchTarget;
  origin: CallOrigin;
  /** Present when the upgrade carried a token: the socket is authenticated and watches at once. */
  authenticated?: { session: Session; started: WatchStart };
}

/** Who an authenticated socket acts as, and the least role its policy row needs. */
interface Session {
  ctx: RequestContext;
  principal: ResolvedPrincipal;
  needed: Role;
}

/**
 * `WS /ws/executions/{id}` on the gateway's HTTP port. A token in the `Authorization` header is
 * checked before the upgrade (bad token: HTTP 401; unknown or another workspace's execution: HTTP
 * 404; malformed id or `fromSeq`: HTTP 400; over the socket cap: 503 with `Retry-After`), all as
 * problem+json. Browsers, which cannot set headers, send `{"type":"auth","token":"..."}` first
 * instead, within `wsAuthTimeoutMs`; a failure then closes the socket with 4400/4401/4404 after an
 * `error` message, and so does silence (4401).
 *
 * Nothing a client sends can take the process down: the adapter guards every raw socket and
 * WebSocket with an `error` listener (an oversized or invalid UTF-8 frame closes that socket with
 * 1009/1007), nothing here throws into Nest's event streams, sockets are pinged and cut when they
 * stop answering, and slow readers are closed with 1013 rather than buffered without bound.
 */
@WebSocketGateway({ path: LIVE_PATH, maxPayload: MAX_CLIENT_MESSAGE_BYTES })
export class ExecutionSocketGateway
  implements OnGatewayInit<WebSocketServer>, OnGatewayConnection<WebSocket>, OnGatewayDisconnect<WebSocket>, OnApplicationShutdown
{
  private readonly logger = new Logger('ws');
  private server?: WebSocketServer;
  private heartbeat?: SocketHeartbeat;
  /** Upgrades being authenticated before the handshake: they count against the cap too. */
  private pending = 0;
  private readonly upgrades = new WeakMap<IncomingMessage, Upgrade>();
  /** Sockets opened without a token, until their auth message arrives or their time is up. */
  private readonly awaitingAuth = new Map<WebSocket, { upgrade: Upgrade; timer: NodeJS.Timeout }>();

  constructor(
    private readonly auth: SocketAuthenticator,
    private readonly rpc: RpcClient,
    private readonly hub: ExecutionEventsHub,
    private readonly sessions: SocketSessions,
    private readonly chunks: AgentChunksHub,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  afterInit(server: WebSocketServer): void {
    this.server = server;
    // ws's own hook, read on every upgrade after ws has validated the handshake; set here because
    // it needs this instance (the decorator's options are static). Its refusal is an HTTP answer.
    server.options.verifyClient = (info: { req: IncomingMessage }, done: VerifyDone) => {
      this.verify(info.req)
        .then(
          () => done(true),
          (e: unknown) => {
            if (!(e instanceof FlowstackError)) this.logger.error(stackOf(e));
            const refusal = refusalOf(e, info.req);
            done(false, refusal.status, refusal.body, refusal.headers);
          },
        )
        .catch((e: unknown) => this.logger.error(`upgrade failed: ${stackOf(e)}`));
    };
    this.heartbeat = new SocketHeartbeat(() => server.clients, this.config.wsPingMs);
    this.heartbeat.start();
  }

  onApplicationShutdown(): void {
    this.heartbeat?.stop();
    for (const { timer } of this.awaitingAuth.values()) clearTimeout(timer);
    this.awaitingAuth.clear();
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    const upgrade = this.upgrades.get(req);
    this.upgrades.delete(req);
    this.heartbeat?.track(ws);
    openSockets.inc();
    ws.once('close', () => openSockets.dec());
    try {
      if (!upgrade) throw new Error('a connection without a verified upgrade');
      if (upgrade.authenticated) {
        this.watch(ws, upgrade.target, upgrade.authenticated.session, upgrade.authenticated.started);
        return;
      }
      const timer = setTimeout(() => {
        this.awaitingAuth.delete(ws);
        fail(ws, new FlowstackError('unauthenticated', `no auth message within ${this.config.wsAuthTimeoutMs} ms`));
      }, this.config.wsAuthTimeoutMs);
      this.awaitingAuth.set(ws, { upgrade, timer });
    } catch (e) {
      this.logger.error(`live socket failed: ${stackOf(e)}`);
      ws.close(1011, 'internal error');
    }
  }

  handleDisconnect(ws: WebSocket): void {
    const awaiting = this.awaitingAuth.get(ws);
    if (!awaiting) return;
    clearTimeout(awaiting.timer);
    this.awaitingAuth.delete(ws);
  }

  /**
   * The browser's first message; whatever a socket sends after it means nothing and is ignored.
   * `@Public()` for the global HTTP guard: this message is how the socket authenticates.
   */
  @Public()
  @SubscribeMessage(CLIENT_FRAME_EVENT)
  onClientFrame(@ConnectedSocket() ws: WebSocket, @MessageBody() frame: ClientFrame): void {
    const awaiting = this.awaitingAuth.get(ws);
    if (!awaiting) return;
    this.awaitingAuth.delete(ws);
    clearTimeout(awaiting.timer);
    void this.authenticateByMessage(ws, awaiting.upgrade, frame);
  }

  /** Everything settled before the handshake: the cap, the target and, with a header token, auth and tenancy. */
  private async verify(req: IncomingMessage): Promise<void> {
    if ((this.server?.clients.size ?? 0) + this.pending >= this.config.maxSockets) {
      throw new FlowstackError('unavailable', 'too many live connections on this gateway', undefined, CAP_RETRY_AFTER_S);
    }
    const target = upgradeTargetOf(req);
    const origin: CallOrigin = {
      correlationId: correlationIdOf(req.headers[CORRELATION_HEADER]),
      traceparent: traceparentOf(headerOf(req, 'traceparent')),
    };
    const token = bearerTokenOf(headerOf(req, 'authorization'));
    if (!token) {
      this.upgrades.set(req, { target, origin });
      return;
    }
    this.pending++;
    try {
      const session = await this.sessionOf(token, target.workspaceId, origin);
      const started = await this.firstEvent(target.executionId, session.ctx);
      this.upgrades.set(req, { target, origin, authenticated: { session, started } });
    } finally {
      this.pending--;
    }
  }

  private async authenticateByMessage(ws: WebSocket, upgrade: Upgrade, frame: ClientFrame): Promise<void> {
    try {
      const message = parseAuthMessage(frame);
      const session = await this.sessionOf(message.token, message.workspaceId ?? upgrade.target.workspaceId, upgrade.origin);
      this.watch(ws, upgrade.target, session, await this.firstEvent(upgrade.target.executionId, session.ctx));
    } catch (e) {
      if (!(e instanceof FlowstackError)) this.logger.error(stackOf(e));
      fail(ws, e instanceof FlowstackError ? e : new FlowstackError('internal', 'internal error'));
    }
  }

  private watch(ws: WebSocket, target: WatchTarget, session: Session, started: WatchStart): void {
    // Until it closes, the socket is held against the auth feed (logout, expiry, removal end it).
    this.sessions.track(ws, session.principal, session.needed);
    const follow = (first: LiveEvent): void =>
      new ExecutionWatch(
        ws,
        target.executionId,
        session.ctx,
        this.rpc,
        this.hub,
        target.fromSeq,
        this.config.wsMaxBufferedBytes,
        this.chunks,
      ).start(first);
    if ('first' in started) return follow(started.first);
    new QueuedWait(ws, target.executionId, session.ctx, this.rpc, this.config.wsMaxBufferedBytes, follow, (e) => {
      if (!(e instanceof FlowstackError)) this.logger.error(stackOf(e));
      fail(ws, e instanceof FlowstackError ? e : new FlowstackError('unavailable', 'live stream interrupted'));
    }).start(started.queued);
  }

  private async sessionOf(token: string, workspaceId: string | undefined, origin: CallOrigin): Promise<Session> {
    const principal = await this.auth.principalOf(token, workspaceId);
    const needed = requiredRoleOf(WATCH_ACTION);
    if (!needed) throw new FlowstackError('forbidden', 'this action has no access policy');
    if (!hasRole(principal.role, needed)) {
      throw new FlowstackError('forbidden', `this needs the ${needed} role; you are ${principal.role}`);
    }
    const ctx: RequestContext = {
      workspaceId: principal.workspaceId,
      actor: actorOf(principal),
      ...origin,
    };
    return { ctx, principal, needed };
  }

  /**
   * The execution's first event, or its view while it waits in its workspace's queue (no events
   * yet); also the tenancy check (404 for anyone else's execution).
   */
  private async firstEvent(executionId: string, ctx: RequestContext): Promise<WatchStart> {
    const first = await firstStoredEvent(this.rpc, executionId, ctx);
    if (first) {
      return {
        first: { seq: first.seq, type: first.type, data: first.data as Record<string, unknown>, recordedAt: first.recordedAt },
      };
    }
    // No stream: queued (or cancelled in the queue), else not there at all (the orchestrator's 404).
    const view = await this.rpc.request<ExecutionView>(Rpc.orchestrator.executionGet, { executionId }, ctx);
    return { queued: view };
  }
}

/** What a watch starts from: the first event, or the view of a run still queued. */
type WatchStart = { first: LiveEvent } | { queued: ExecutionView };

type VerifyDone = (verified: boolean, code?: number, message?: string, headers?: Record<string, string>) => void;

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const stackOf = (e: unknown): string => (e instanceof Error ? (e.stack ?? e.message) : String(e));

function fail(ws: WebSocket, error: FlowstackError): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(JSON.stringify({ type: 'error', code: error.code, message: error.message }), () => undefined);
  ws.close(CLOSE_CODES[error.code] ?? 4400, error.code);
}

/** Close codes after an `error` message: 44xx mirror the HTTP statuses, 1011/1013 are the server's. */
const CLOSE_CODES: Partial<Record<FlowstackError['code'], number>> = {
  unauthenticated: 4401,
  forbidden: 4403,
  not_found: 4404,
  unavailable: 1013,
  rate_limited: 4429,
  internal: 1011,
};
