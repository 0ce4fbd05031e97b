import type { WebSocket } from 'ws';

/**
 * Pings every socket every `intervalMs` and terminates the ones that did not answer the previous
 * ping (a vanished peer, a half-open TCP connection), so dead sockets neither hold memory nor
 * count against the socket cap. Browsers and `ws` clients answer pings by themselves.
 */
export class SocketHeartbeat {
  private readonly unanswered = new WeakSet<WebSocket>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sockets: () => Iterable<WebSocket>,
    private readonly intervalMs: number,
  ) {}

  /** Starts watching a socket: a pong proves it is alive until the next beat. */
  track(ws: WebSocket): void {
    ws.on('pong', () => this.unanswered.delete(ws));
  }

  start(): void {
    this.timer = setInterval(() => this.beat(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private beat(): void {
    for (const ws of this.sockets()) {
      if (this.unanswered.has(ws)) {
        ws.terminate();
        continue;
      }
      this.unanswered.add(ws);
      try {
        ws.ping();
      } catch {
        ws.terminate(); // not open any more: nothing to wait for
      }
    }
  }
}
