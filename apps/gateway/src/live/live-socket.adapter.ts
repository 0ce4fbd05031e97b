import { Logger, type INestApplicationContext } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { FlowstackError } from '@flowstack/contracts';
import type { ClientFrame } from './auth-message';
import { adoptRequestIds, idHeadersOf, refusalOf, writeRefusal } from './upgrade-edge';

/** The one event of the live protocol's client side: every frame a client sends (see `frameToEvent`). */
export const CLIENT_FRAME_EVENT = 'auth';

/** How long sockets get to finish their close handshake at shutdown before they are cut. */
const SHUTDOWN_GRACE_MS = 2_000;

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * The live protocol has one client message, the auth message (browsers only; the rest of the
 * traffic is server to client). Every frame goes to its handler as is, which parses it itself to
 * give the protocol's specific answers (4400 not a JSON object, 4401 no token) that Nest's JSON
 * `{event, data}` parser would drop in silence; a frame after authentication is ignored there.
 */
const frameToEvent = (data: ClientFrame) => ({ event: CLIENT_FRAME_EVENT, data });

/**
 * `WsAdapter` with the edge a public port needs. Nest's own upgrade listener matches paths exactly
 * (no `/ws/executions/{id}`), answers an unknown path by destroying the socket without a word,
 * answers a URL it cannot parse with a malformed `HTTP/1.1 400` line, and leaves the raw socket
 * without an `'error'` listener (a reset there is an uncaught exception), and its error handler
 * logs every bad client frame at error level (a log flood anyone can trigger). This one:
 *
 * - routes an upgrade to the gateway whose path is the URL's path or a prefix of it (by segment);
 * - refuses anything else with a problem+json 404 (400 for a URL that is not one), `nosniff`;
 * - guards the raw socket with an `'error'` listener before anything else happens;
 * - adopts `X-Request-Id`/`X-Correlation-Id` (validated, or generated) and echoes them on the 101
 *   answer and on every refusal;
 * - logs bad frames (`ws` has already closed those sockets with 1009 or 1007) at debug level;
 * - at shutdown closes sockets with 1001, cutting the ones that do not finish within a grace period.
 *
 * Gateways still refuse their own upgrades (auth, tenancy, caps) with ws's `verifyClient` and
 * `refusalOf`, after ws has checked the handshake itself.
 */
export class LiveSocketAdapter extends WsAdapter {
  private readonly edgeLogger = new Logger('ws');
  private readonly upgradeListeners = new Map<Server, UpgradeListener>();

  constructor(app: INestApplicationContext) {
    super(app, { messageParser: frameToEvent });
  }

  override create(port: number, options?: Record<string, unknown> & { path?: string }): WebSocketServer {
    const server = super.create(port, options) as WebSocketServer;
    server.on('headers', (headers: string[], req: IncomingMessage) => {
      for (const [name, value] of Object.entries(idHeadersOf(req))) headers.push(`${name}: ${value}`);
    });
    return server;
  }

  override bindErrorHandler(server: WebSocketServer): WebSocketServer {
    server.on('connection', (ws: WebSocket) =>
      ws.on('error', (e) => this.edgeLogger.debug(`socket closed on a bad frame: ${e.message}`)),
    );
    server.on('error', (e) => this.edgeLogger.error(`WebSocket server error: ${e.message}`));
    return server;
  }

  override async close(server: WebSocketServer): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const ws of server.clients) ws.close(1001, 'gateway shutting down');
    const cut = setTimeout(() => server.clients.forEach((ws) => ws.terminate()), SHUTDOWN_GRACE_MS);
    await closed;
    clearTimeout(cut);
  }

  override async dispose(): Promise<void> {
    for (const [httpServer, listener] of this.upgradeListeners) httpServer.off('upgrade', listener);
    this.upgradeListeners.clear();
    await super.dispose();
  }

  protected override ensureHttpServerExists(port: number, httpServer: Server = createServer()): Server | undefined {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    const listener: UpgradeListener = (req, socket, head) => this.onUpgrade(port, req, socket, head);
    httpServer.on('upgrade', listener);
    this.upgradeListeners.set(httpServer, listener);
    return httpServer;
  }

  private onUpgrade(port: number, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node removes its own listeners from an upgraded socket: without one, a reset kills us.
    socket.on('error', (e) => this.edgeLogger.debug(`upgrade socket error: ${e.message}`));
    try {
      adoptRequestIds(req);
      const server = this.serverFor(port, pathnameOf(req));
      if (!server) return writeRefusal(socket, refusalOf(new FlowstackError('not_found', 'no such endpoint'), req));
      server.handleUpgrade(req, socket, head, (ws) => server.emit('connection', ws, req));
    } catch (e) {
      if (!(e instanceof FlowstackError)) {
        this.edgeLogger.error(`upgrade failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      writeRefusal(socket, refusalOf(e, req));
    }
  }

  /** The gateway serving this path: its own path exactly, or anything below it. */
  private serverFor(port: number, pathname: string): WebSocketServer | undefined {
    const servers = (this.wsServersRegistry.get(port) ?? []) as Array<WebSocketServer & { path: string }>;
    return servers.find((s) => pathname === s.path || pathname.startsWith(`${s.path}/`));
  }
}

/** The path of an upgrade's target, read against a fixed base: the `Host` header is the client's. */
function pathnameOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://gateway').pathname;
  } catch {
    throw new FlowstackError('validation_failed', 'request target is not a valid URL');
  }
}
