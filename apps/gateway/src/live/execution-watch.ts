import type { WebSocket } from 'ws';
import {
  Rpc,
  type ExecutionStatus,
  type ExecutionView,
  type Page,
  type RequestContext,
  type StoredEventView,
} from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { backlogDrained, sendBounded } from './bounded-send';
import type { AgentChunksHub } from './agent-chunks.hub';
import type { ExecutionEventsHub } from './execution-events.hub';
import { isTerminal, type LiveEvent } from './live-event';
import { labelsOf, toWsMessage } from './ws-message.mapper';

const toLive = (e: StoredEventView): LiveEvent => ({
  seq: e.seq,
  type: e.type,
  data: e.data as Record<string, unknown>,
  recordedAt: e.recordedAt,
});

/** How long a replay waits for a client to read a page before the bound cuts it (1013). */
const REPLAY_DRAIN_TIMEOUT_MS = 30_000;

const FINISHED = new Set<ExecutionStatus>(['completed', 'failed', 'cancelled']);

/**
 * One socket watching one execution. It subscribes to live events first, then replays history
 * from `fromSeq`, all through one serial queue, tracking the last `seq` sent: a live event already
 * replayed is dropped (no duplicate), and a live event past a hole makes it fetch the hole from
 * history first (no gap), so order holds whatever order events arrive in.
 *
 * The socket closes with 1000 once the terminal event is sent, or at once when a client resumes
 * (`?fromSeq=`) at or past the end of a finished execution: nothing more would ever come. A client
 * that does not read is closed with 1013 once `maxBuffered` bytes wait unsent.
 */
export class ExecutionWatch {
  private lastSent: number;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private unsubscribeChunks?: () => void;
  private unsubscribeLogs?: () => void;
  private labels = new Map<string, string | undefined>();
  private closed = false;
  /** An end was sent and no `ExecutionRetried` after it: the execution is over (for now). */
  private ended = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly executionId: string,
    private readonly ctx: RequestContext,
    private readonly rpc: RpcClient,
    private readonly hub: ExecutionEventsHub,
    fromSeq: number,
    private readonly maxBuffered: number,
    private readonly chunks?: AgentChunksHub,
  ) {
    this.lastSent = fromSeq;
  }

  /** Starts streaming; `started` is the execution's first event (fetched by the caller to prove it exists). */
  start(started: LiveEvent): void {
    // The client may have left while it was being authenticated: nothing to watch for then.
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.labels = labelsOf(started);
    this.unsubscribe = this.hub.subscribe(this.executionId, (event) => this.enqueue(() => this.onLive(event)));
    // Token chunks bypass the ordered queue: they have no seq, are never replayed, and a chunk
    // of a node may arrive before its step_start (which a replay sends later) is sent.
    this.unsubscribeChunks = this.chunks?.subscribe(this.executionId, (chunk) => {
      if (chunk.workspaceId.toLowerCase() !== this.ctx.workspaceId.toLowerCase()) return;
      this.sendChunk(chunk.nodeId, chunk.chunk);
    });
    // Tool output lines likewise: ephemeral, no seq.
    this.unsubscribeLogs = this.chunks?.subscribeLogs(this.executionId, (log) => {
      if (log.workspaceId.toLowerCase() !== this.ctx.workspaceId.toLowerCase()) return;
      this.sendEphemeral({ type: 'log', nodeId: log.nodeId, stream: log.stream, line: log.line });
    });
    this.ws.on('close', () => this.stop());
    const resuming = this.lastSent > 0;
    this.enqueue(async () => {
      // History is read only once live events flow: together they leave no gap.
      await this.hub.ready();
      const sent = await this.catchUp();
      if (resuming && sent === 0) await this.closeIfFinished();
    });
  }

  stop(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribeChunks?.();
    this.unsubscribeLogs?.();
  }

  /** `agent_streaming {nodeId, chunk}`: ephemeral, without `seq`. */
  private sendChunk(nodeId: string, chunk: string): void {
    if (this.closed) return;
    if (!sendBounded(this.ws, JSON.stringify({ type: 'agent_streaming', nodeId, chunk }), this.maxBuffered)) this.stop();
  }

  /** `log {nodeId, stream, line}` and the like: ephemeral, without `seq`. */
  private sendEphemeral(message: Record<string, unknown>): void {
    if (this.closed) return;
    if (!sendBounded(this.ws, JSON.stringify(message), this.maxBuffered)) this.stop();
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((e: Error) => {
      if (this.closed) return;
      this.stop();
      sendBounded(
        this.ws,
        JSON.stringify({ type: 'error', code: 'unavailable', message: `live stream interrupted: ${e.message}` }),
        this.maxBuffered,
      );
      this.ws.close(1011, 'live stream interrupted');
    });
  }

  private async onLive(event: LiveEvent): Promise<void> {
    if (this.closed) return;
    if (event.seq <= this.lastSent) {
      // A resume past the end of a running execution: its end is behind us, so are we done.
      if (isTerminal(event)) this.finish();
      return;
    }
    if (event.seq > this.lastSent + 1) await this.catchUp();
    if (event.seq === this.lastSent + 1) this.send(event);
  }

  /** Sends every stored event after the last one sent, page by page; answers how many it sent. */
  private async catchUp(): Promise<number> {
    let sent = 0;
    for (;;) {
      if (this.closed) return sent;
      const page = await this.rpc.request<Page<StoredEventView>>(
        Rpc.orchestrator.executionEvents,
        { executionId: this.executionId, afterSeq: this.lastSent, limit: 500 },
        this.ctx,
      );
      for (const event of page.items) {
        if (event.seq === this.lastSent + 1) {
          // A replayed end may be followed by more (late results of a failed run, a retry's
          // `ExecutionRetried`): the socket closes after the page if the run is still ended.
          this.send(toLive(event), false);
          sent++;
        }
      }
      if (!page.nextCursor) {
        if (this.ended) this.finish();
        return sent;
      }
      // Pull the next page only once the client has read most of this one.
      await backlogDrained(this.ws, this.maxBuffered / 2, REPLAY_DRAIN_TIMEOUT_MS);
    }
  }

  /** Nothing after `fromSeq` is stored: if the execution is over, nothing ever will be. */
  private async closeIfFinished(): Promise<void> {
    if (this.closed) return;
    const execution = await this.rpc.request<ExecutionView>(
      Rpc.orchestrator.executionGet,
      { executionId: this.executionId },
      this.ctx,
    );
    if (FINISHED.has(execution.status)) this.finish();
  }

  /** Sends one event; `closeAtEnd`: a terminal event closes the socket (live events; replays decide after the page). */
  private send(event: LiveEvent, closeAtEnd = true): void {
    if (this.closed) return;
    if (!sendBounded(this.ws, JSON.stringify(toWsMessage(this.executionId, event, this.labels)), this.maxBuffered)) {
      this.stop();
      return;
    }
    this.lastSent = event.seq;
    if (isTerminal(event)) this.ended = true;
    else if (event.type === 'ExecutionRetried') this.ended = false;
    // The execution is over and everything is sent: nothing more will come on this socket.
    if (closeAtEnd && isTerminal(event)) this.finish();
  }

  private finish(): void {
    this.stop();
    this.ws.close(1000, 'execution finished');
  }
}
