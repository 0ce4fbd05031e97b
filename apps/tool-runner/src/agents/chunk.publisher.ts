import type { NatsConnection } from '@nats-io/transport-node';
import { chunkSubject, type Namespace } from '@flowstack/contracts';

/** Text deltas are coalesced this long before one publish: 200 streams make at most 10,000 messages/s. */
export const CHUNK_COALESCE_MS = 20;
/**
 * A stream that sent nothing for this long is quiet: its next delta goes out at once (a new
 * turn's first token after a tool call, say). Shorter gaps wait for the next tick.
 */
export const CHUNK_QUIET_MS = 250;
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
 * goes out at once (time to first token), and so does the first after `CHUNK_QUIET_MS` without
 * one; the others wait for the publisher's next tick, at most `CHUNK_COALESCE_MS` away, which
 * sends every open stream's pending text together.
 *
 * Why one tick for all streams rather than a timer per stream: each publish at its own moment is a
 * socket write of its own, and with a hundred streams those writes (and the NATS server's reads
 * and the gateway's) were the runner's largest CPU cost. Publishes made in one tick leave in one
 * write (`nats-write-coalescing`). Why "quiet" is longer than a tick: a stream whose tokens come
 * further apart than the tick (a model at 25 tokens/s) sent every token at once, each a write of
 * its own: 5,000 writes a second for 200 such streams, when socket writes were already 12% of the
 * runner's samples in W10's profile. A stream sends at most one message per tick plus one per
 * quiet spell.
 * Publishing never throws into the agent loop (chunks are ephemeral).
 */
export class ChunkPublisher {
  private readonly waiting = new Set<OpenStream>();
  private tick?: NodeJS.Timeout;

  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly coalesceMs = CHUNK_COALESCE_MS,
    private readonly quietMs = CHUNK_QUIET_MS,
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
        if (Date.now() - stream.lastSent >= this.quietMs) this.send(stream);
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
