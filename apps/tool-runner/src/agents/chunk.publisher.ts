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

/**
 * Publishes an agent_call node's token chunks on core NATS (`chunks.<ws>.<execution>.<node>`, not
 * stored: ARCHITECTURE.md section 4), body `{ "chunk": "..." }`. The first delta of a quiet stream
 * goes out at once (time to first token); later ones within `CHUNK_COALESCE_MS` are joined.
 * Publishing never throws into the agent loop (chunks are ephemeral).
 */
export class ChunkPublisher {
  constructor(
    private readonly nc: NatsConnection,
    private readonly ns: Namespace,
    private readonly coalesceMs = CHUNK_COALESCE_MS,
  ) {}

  open(workspaceId: string, executionId: string, nodeId: string): ChunkStream {
    const to = chunkSubject(this.ns, workspaceId, executionId, nodeId);
    let pending = '';
    let timer: NodeJS.Timeout | undefined;
    let lastSent = 0;
    const flush = (): void => {
      timer = undefined;
      if (!pending) return;
      const chunk = pending;
      pending = '';
      lastSent = Date.now();
      try {
        this.nc.publish(to, JSON.stringify({ chunk }));
      } catch {
        // A closed or draining connection: the chunk is lost, the answer is not.
      }
    };
    return {
      write: (text) => {
        if (!text) return;
        pending += text;
        if (timer) {
          if (pending.length >= MAX_CHUNK_CHARS) {
            clearTimeout(timer);
            flush();
          }
          return;
        }
        const wait = lastSent + this.coalesceMs - Date.now();
        if (wait <= 0) flush();
        else timer = setTimeout(flush, wait);
      },
      close: () => {
        if (timer) clearTimeout(timer);
        flush();
      },
    };
  }
}
