import type { NatsConnection } from '@nats-io/transport-node';
import { logSubject, type Namespace } from '@flowstack/contracts';

/** Longest line sent; a longer one is cut and ends in `…`. */
export const MAX_LOG_LINE_CHARS = 2_000;
/** Lines one node may send per second (a burst of as many); the rest are counted and reported. */
export const LOG_LINES_PER_SECOND = 100;

export interface LogStream {
  line(stream: 'stdout' | 'stderr', line: string): void;
  /** Reports the lines dropped, if any. */
  close(): void;
}

/**
 * Publishes a sandboxed tool's output lines on core NATS (`logs.<ws>.<execution>.<node>`, not
 * stored, like token chunks), body `{ "stream": "stdout" | "stderr", "line": "..." }`. Bounded:
 * lines are cut at `MAX_LOG_LINE_CHARS`, and past `LOG_LINES_PER_SECOND` (a token bucket) lines
 * are dropped and one `{ "stream": "stderr", "line": "[flowstack: N lines not streamed]" }` says so
 * when the flow slows down or the program ends (its whole output is in the node's output).
 * Publishing never throws into the tool.
 */
export class LogPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly perSecond = LOG_LINES_PER_SECOND,
  ) {}

  open(workspaceId: string, executionId: string, nodeId: string): LogStream {
    const to = logSubject(this.ns, workspaceId, executionId, nodeId);
    let tokens = this.perSecond;
    let refilledAt = Date.now();
    let dropped = 0;
    const send = (stream: 'stdout' | 'stderr', line: string): void => {
      try {
        this.nc.publish(to, JSON.stringify({ stream, line }));
      } catch {
        // A closed connection: the line is lost, the output is not.
      }
    };
    const reportDropped = (): void => {
      if (dropped === 0) return;
      send('stderr', `[flowstack: ${dropped} lines not streamed]`);
      dropped = 0;
    };
    return {
      line: (stream, line) => {
        const now = Date.now();
        tokens = Math.min(this.perSecond, tokens + ((now - refilledAt) / 1000) * this.perSecond);
        refilledAt = now;
        if (tokens < 1) {
          dropped++;
          return;
        }
        tokens--;
        if (dropped > 0 && tokens >= 1) {
          tokens--;
          reportDropped();
        }
        send(stream, line.length > MAX_LOG_LINE_CHARS ? `${line.slice(0, MAX_LOG_LINE_CHARS)}…` : line);
      },
      close: reportDropped,
    };
  }
}
