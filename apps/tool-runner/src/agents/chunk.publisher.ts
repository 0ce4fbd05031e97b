import type { NatsConnection } from '@nats-io/transport-node';
import { chunkSubject, type Namespace } from '@flowstack/contracts';

/** Text deltas are coalesced this long before one publish: 200 streams make at most 10,000 messages/s. */
export const CHUNK_COALESCE_MS = 20;
/** A pending chunk this long goes out at once. */
const MAX_CHUNK_CHARS = 16_384;

export interface ChunkStream {
  write(text: string): void;
  /** Flushes what is pending. */
  close(): void;
}

/** One open stream's state. */
interface OpenStream {
  readonly to: string;
  pending: string;
  lastSent: number;
}

/**
 * Publishes an agent_call node's token chunks on core NATS (`chunks.<ws>.<execution>.<node>`, not
 * stored: ARCHITECTURE.md section 4), body `{ "chunk": "..." }`. The first delta of a quiet stream
 * goes out at once (time to first token); later ones wait for the publisher's next tick, at most
 * `CHUNK_COALESCE_MS` away, which sends every open stream's pending text together.
 *
 * Why one tick for all streams rather than a timer per stream: each publish at its own moment is a
 * socket write of its own, and with a hundred streams those writes (and the NATS server's reads
 * and the gateway's) were the runner's largest CPU cost. Publishes made in one tick leave in one
 * write (`nats-write-coalescing`). A stream sends at most one message per tick plus the first of a
 * quiet spell, so at most twice per `CHUNK_COALESCE_MS`.
 * Publishing never throws into the agent loop (chunks are ephemeral).
 */
export class ChunkPublisher {
  private readonly waiting = new Set<OpenStream>();
  private tick?: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly coalesceMs = CHUNK_COALESCE_MS,
  ) {}

  open(workspaceId: string, executionId: string, nodeId: string): ChunkStream {
    const stream: OpenStream = { to: chunkSubject(this.ns, workspaceId, executionId, nodeId), pending: '', lastSent: 0 };
    return {
      write: (text) => {
        if (!text) return;
        stream.pending += text;
        if (this.waiting.has(stream)) {
          if (stream.pending.length >= MAX_CHUNK_CHARS) this.send(stream);
          return;
        }
        if (Date.now() - stream.lastSent >= this.coalesceMs) this.send(stream);
        else this.wait(stream);
      },
      close: () => this.send(stream),
    };
  }

  private wait(stream: OpenStream): void {
    this.waiting.add(stream);
    this.tick ??= setTimeout(() => this.flushAll(), this.coalesceMs);
  }

  private flushAll(): void {
    this.tick = undefined;
    const due = [...this.waiting];
    this.waiting.clear();
    for (const stream of due) this.send(stream);
  }

  private send(stream: OpenStream): void {
    this.waiting.delete(stream);
    if (!stream.pending) return;
    const chunk = stream.pending;
    stream.pending = '';
    stream.lastSent = Date.now();
    try {
      this.nc.publish(stream.to, JSON.stringify({ chunk }));
    } catch {
      // A closed or draining connection: the chunk is lost, the answer is not.
    }
  }
}
