import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { ResolvedPrincipal, Role } from '@flowstack/contracts';
import { hasRole } from '../access/access-policy';
import { AuthFeed } from '../auth/auth-feed.cache';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';

/** Why an open socket is closed: its `error` message code, and the close code. */
interface Ending {
  code: 'unauthenticated' | 'not_found' | 'forbidden';
  close: 4401 | 4404 | 4403;
  message: string;
}

/**
 * The authenticated live sockets of this gateway and who they act as. Every `wsSessionCheckMs`
 * (1 s) each is held against the auth feed, which identity keeps current within milliseconds: a
 * logged-out (revoked) or expired token ends its sockets with 4401, a removed membership with
 * 4404, a demotion below the socket's policy row with 4403, each after an `error` message. So a
 * logout reaches every open socket on every replica within about a second (promise: 5 s).
 *
 * Cost: one pass over a map of at most `maxSockets` entries per second, each a few map lookups.
 */
@Injectable()
export class SocketSessions implements OnModuleInit, OnApplicationShutdown {
  private readonly sessions = new Map<WebSocket, { principal: ResolvedPrincipal; needed: Role }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly feed: AuthFeed,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => this.check(), this.config.wsSessionCheckMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
    this.sessions.clear();
  }

  /** Watches `ws` until it closes; `needed` is the least role of its `ACCESS_POLICY` row. */
  track(ws: WebSocket, principal: ResolvedPrincipal, needed: Role): void {
    if (ws.readyState !== ws.OPEN) return;
    this.sessions.set(ws, { principal, needed });
    ws.once('close', () => this.sessions.delete(ws));
  }

  get size(): number {
    return this.sessions.size;
  }

  /** One pass; public for tests that do not want to wait for the timer. */
  check(now = Date.now()): void {
    // An unloaded feed (NATS reconnecting) proves nothing either way: the sockets stay until it is back.
    if (!this.feed.loaded) return;
    for (const [ws, { principal, needed }] of this.sessions) {
      const ending = this.endingOf(principal, needed, now);
      if (!ending) continue;
      this.sessions.delete(ws);
      if (ws.readyState !== ws.OPEN) continue;
      ws.send(JSON.stringify({ type: 'error', code: ending.code, message: ending.message }), () => undefined);
      ws.close(ending.close, ending.code);
    }
  }

  private endingOf(principal: ResolvedPrincipal, needed: Role, now: number): Ending | undefined {
    if (this.feed.isRevoked(principal.jti)) return { code: 'unauthenticated', close: 4401, message: 'token revoked' };
    if (principal.apiKeyId && !this.feed.apiKeyActive(principal.apiKeyId)) {
      return { code: 'unauthenticated', close: 4401, message: 'API key revoked' };
    }
    if (principal.expiresAt !== undefined && principal.expiresAt * 1000 <= now) {
      return { code: 'unauthenticated', close: 4401, message: principal.apiKeyId ? 'API key expired' : 'token expired' };
    }
    const role = this.feed.membershipsOf(principal.userId).get(principal.workspaceId.toLowerCase());
    if (!role) return { code: 'not_found', close: 4404, message: 'workspace not found' };
    if (!hasRole(role, needed))
      return { code: 'forbidden', close: 4403, message: `this needs the ${needed} role; you are ${role}` };
    return undefined;
  }
}
