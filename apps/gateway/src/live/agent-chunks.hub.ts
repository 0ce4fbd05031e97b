import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { chunkSubjects, logSubjects, type Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION } from '@flowstack/messaging';

/** One token chunk of an agent_call node, as a tool-runner published it. */
export interface AgentChunk {
  workspaceId: string;
  nodeId: string;
  chunk: string;
}

type ChunkListener = (chunk: AgentChunk) => void;

/** One output line of a python or shell tool, as a tool-runner published it. */
export interface ToolLogLine {
  workspaceId: string;
  nodeId: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

type LogListener = (line: ToolLogLine) => void;

/**
 * This gateway replica's window on token chunks: one core NATS subscription on
 * `chunks.<workspaceId>.<executionId>.<nodeId>` (ephemeral: not stored, not replayed) fanned out
 * to the sockets watching each execution. Bodies are decoded only for watched executions. The
 * tool-runner already coalesces a node's deltas on a 20 ms tick, so one stream is at most 100
 * messages a second (one a tick, plus the first delta after a quiet spell) whatever the model's
 * pace. It also carries python and shell tools' output lines
 * (`logs.<workspaceId>.<executionId>.<nodeId>`, bounded by the tool-runner to 100 lines a second
 * per node and 2,000 characters a line), sent as `log` messages.
 */
@Injectable()
export class AgentChunksHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('live');
  private readonly listeners = new Map<string, Set<ChunkListener>>();
  private readonly logListeners = new Map<string, Set<LogListener>>();
  private subscription?: Subscription;
  private loop?: Promise<void>;
  private logSubscription?: Subscription;
  private logLoop?: Promise<void>;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  onApplicationBootstrap(): void {
    this.followLogs();
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

  /** Output lines of python and shell tools (`logs.<ws>.<execution>.<node>`), fanned out like chunks. */
  private followLogs(): void {
    const pattern = logSubjects(this.ns);
    const offset = pattern.split('.').length - 4;
    const subscription = this.nc.subscribe(pattern);
    this.logSubscription = subscription;
    this.logLoop = (async () => {
      for await (const msg of subscription) {
        const [workspaceId, executionId, nodeId] = msg.subject.split('.').slice(offset + 1, offset + 4);
        const listeners = this.logListeners.get(executionId);
        if (!listeners?.size) continue;
        let body: { stream?: unknown; line?: unknown };
        try {
          body = JSON.parse(msg.string()) as typeof body;
        } catch {
          body = {};
        }
        if ((body.stream !== 'stdout' && body.stream !== 'stderr') || typeof body.line !== 'string') {
          this.logger.warn(`undecodable log line on ${msg.subject}`);
          continue;
        }
        const line: ToolLogLine = { workspaceId, nodeId, stream: body.stream, line: body.line };
        for (const listener of [...listeners]) {
          try {
            listener(line);
          } catch (e) {
            this.logger.error(`log listener failed on ${msg.subject}: ${(e as Error).message}`);
          }
        }
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscription?.unsubscribe();
    this.logSubscription?.unsubscribe();
    await Promise.all([this.loop, this.logLoop]);
  }

  /** Calls `listener` with every tool output line of the execution from now on; returns the unsubscribe function. */
  subscribeLogs(executionId: string, listener: LogListener): () => void {
    let set = this.logListeners.get(executionId);
    if (!set) this.logListeners.set(executionId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.logListeners.delete(executionId);
    };
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
