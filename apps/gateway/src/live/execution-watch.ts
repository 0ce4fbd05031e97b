import type { WebSocket } from 'ws';
import { Rpc, type Page, type RequestContext, type StoredEventView } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import type { ExecutionEventsHub } from './execution-events.hub';
import { isTerminal, type LiveEvent } from './live-event';
import { labelsOf, toWsMessage } from './ws-message.mapper';

const toLive = (e: StoredEventView): LiveEvent => ({
  seq: e.seq,
  type: e.type,
  data: e.data as Record<string, unknown>,
  recordedAt: e.recordedAt,
});

/**
 * One socket watching one execution. It subscribes to live events first, then replays history
 * from `fromSeq`, all through one serial queue, tracking the last `seq` sent: a live event already
 * replayed is dropped (no duplicate), and a live event past a hole makes it fetch the hole from
 * history first (no gap), so order holds whatever order events arrive in.
 */
export class ExecutionWatch {
  private lastSent: number;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private labels = new Map<string, string | undefined>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly executionId: string,
    private readonly ctx: RequestContext,
    private readonly rpc: RpcClient,
    private readonly hub: ExecutionEventsHub,
    fromSeq: number,
  ) {
    this.lastSent = fromSeq;
  }

  /** Starts streaming; `started` is the execution's first event (fetched by the caller to prove it exists). */
  start(started: LiveEvent): void {
    this.labels = labelsOf(started);
    this.unsubscribe = this.hub.subscribe(this.executionId, (event) => this.enqueue(() => this.onLive(event)));
    this.ws.on('close', () => this.stop());
    this.enqueue(() => this.catchUp());
  }

  stop(): void {
    this.closed = true;
    this.unsubscribe?.();
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((e: Error) => {
      if (this.closed) return;
      this.ws.send(JSON.stringify({ type: 'error', code: 'unavailable', message: `live stream interrupted: ${e.message}` }));
      this.ws.close(1011, 'live stream interrupted');
      this.stop();
    });
  }

  private async onLive(event: LiveEvent): Promise<void> {
    if (this.closed || event.seq <= this.lastSent) return;
    if (event.seq > this.lastSent + 1) await this.catchUp();
    if (event.seq === this.lastSent + 1) this.send(event);
  }

  /** Sends every stored event after the last one sent, page by page. */
  private async catchUp(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const page = await this.rpc.request<Page<StoredEventView>>(
        Rpc.orchestrator.executionEvents,
        { executionId: this.executionId, afterSeq: this.lastSent, limit: 500 },
        this.ctx,
      );
      for (const event of page.items) if (event.seq === this.lastSent + 1) this.send(toLive(event));
      if (!page.nextCursor) return;
    }
  }

  private send(event: LiveEvent): void {
    if (this.closed) return;
    this.ws.send(JSON.stringify(toWsMessage(this.executionId, event, this.labels)));
    this.lastSent = event.seq;
    if (isTerminal(event)) {
      // The execution is over and everything is sent: nothing more will come on this socket.
      this.stop();
      this.ws.close(1000, 'execution finished');
    }
  }
}
