import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { chunkSubjects, type Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION } from '@flowstack/messaging';

/** One token chunk of an agent_call node, as a tool-runner published it. */
export interface AgentChunk {
  workspaceId: string;
  nodeId: string;
  chunk: string;
}

type ChunkListener = (chunk: AgentChunk) => void;

/**
 * This gateway replica's window on token chunks: one core NATS subscription on
 * `chunks.<workspaceId>.<executionId>.<nodeId>` (ephemeral: not stored, not replayed) fanned out
 * to the sockets watching each execution. Bodies are decoded only for watched executions. The
 * tool-runner already coalesces a node's deltas per 20 ms, so one stream is at most 50 messages a
 * second whatever the model's pace.
 */
@Injectable()
export class AgentChunksHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('live');
  private readonly listeners = new Map<string, Set<ChunkListener>>();
  private subscription?: Subscription;
  private loop?: Promise<void>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  onApplicationBootstrap(): void {
    const pattern = chunkSubjects(this.ns);
    // Tokens after the namespace prefix: chunks, workspaceId, executionId, nodeId.
    const offset = pattern.split('.').length - 4;
    const subscription = this.nc.subscribe(pattern);
    this.subscription = subscription;
    this.loop = (async () => {
      for await (const msg of subscription) {
        const parts = msg.subject.split('.');
        const [workspaceId, executionId, nodeId] = parts.slice(offset + 1, offset + 4);
        const listeners = this.listeners.get(executionId);
        if (!listeners?.size) continue;
        let chunk: unknown;
        try {
          chunk = (JSON.parse(msg.string()) as { chunk?: unknown }).chunk;
        } catch {
          chunk = undefined;
        }
        if (typeof chunk !== 'string') {
          this.logger.warn(`undecodable chunk on ${msg.subject}`);
          continue;
        }
        for (const listener of [...listeners]) {
          try {
            listener({ workspaceId, nodeId, chunk });
          } catch (e) {
            this.logger.error(`chunk listener failed on ${msg.subject}: ${(e as Error).message}`);
          }
        }
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.loop;
  }

  /** Calls `listener` with every chunk of the execution from now on; returns the unsubscribe function. */
  subscribe(executionId: string, listener: ChunkListener): () => void {
    let set = this.listeners.get(executionId);
    if (!set) this.listeners.set(executionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(executionId);
    };
  }
}
