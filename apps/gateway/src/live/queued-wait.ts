import type { WebSocket } from 'ws';
import {
  FlowstackError,
  Rpc,
  type ExecutionView,
  type Page,
  type RequestContext,
  type StoredEventView,
} from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { sendBounded } from './bounded-send';
import type { LiveEvent } from './live-event';

/**
 * An execution's first stored event, or undefined when it has no stream yet (queued, cancelled in
 * the queue, or not there at all: the orchestrator answers `not_found` for a stream it never wrote).
 */
export async function firstStoredEvent(
  rpc: RpcClient,
  executionId: string,
  ctx: RequestContext,
): Promise<StoredEventView | undefined> {
  try {
    const page = await rpc.request<Page<StoredEventView>>(
      Rpc.orchestrator.executionEvents,
      { executionId, afterSeq: 0, limit: 1 },
      ctx,
    );
    return page.items[0];
  } catch (e) {
    if (e instanceof FlowstackError && e.code === 'not_found') return undefined;
    throw e;
  }
}

/** How often a socket on a queued execution asks whether it has started (and its place). */
export const QUEUED_POLL_MS = 1_000;

/**
 * A socket on an execution still waiting in its workspace's queue (the per-workspace running
 * limit): it has no events yet, so there is nothing to replay or subscribe to. The socket gets
 * `execution_queued {position, queuedAt}` now and whenever its place changes, and once the run
 * starts `started` hands over to the ordinary watch (which replays from seq 1, so nothing is lost
 * between polls). Cancelled in the queue: `execution_complete` with status `cancelled`, then 1000.
 *
 * A poll, not a subscription: the queue lives in the orchestrator's admission table, which has no
 * feed, and one short read a second per waiting socket is cheap next to the run it waits for.
 */
export class QueuedWait {
  private timer?: NodeJS.Timeout;
  private lastPosition?: number;
  private stopped = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly executionId: string,
    private readonly ctx: RequestContext,
    private readonly rpc: RpcClient,
    private readonly maxBuffered: number,
    private readonly started: (first: LiveEvent) => void,
    private readonly failed: (error: unknown) => void,
  ) {}

  start(view: ExecutionView): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.on('close', () => this.stop());
    this.report(view);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll().catch((e: unknown) => this.fail(e)), QUEUED_POLL_MS);
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const first = await firstStoredEvent(this.rpc, this.executionId, this.ctx);
    if (first) {
      this.stop();
      this.started({
        seq: first.seq,
        type: first.type,
        data: first.data as Record<string, unknown>,
        recordedAt: first.recordedAt,
      });
      return;
    }
    const view = await this.rpc.request<ExecutionView>(
      Rpc.orchestrator.executionGet,
      { executionId: this.executionId },
      this.ctx,
    );
    if (this.report(view)) this.schedule();
  }

  /** Sends what changed; answers whether to keep waiting. */
  private report(view: ExecutionView): boolean {
    if (this.stopped) return false;
    if (view.status === 'cancelled') {
      this.stop();
      // The shape of `ExecutionCancelled`'s message; a run cancelled before it started cost nothing.
      this.send({
        type: 'execution_complete',
        executionId: this.executionId,
        status: 'cancelled',
        by: view.cancellation?.by ?? null,
        reason: view.cancellation?.reason ?? null,
        totalCost: 0,
        durationMs: 0,
      });
      this.ws.close(1000, 'execution finished');
      return false;
    }
    if (view.queue && view.queue.position !== this.lastPosition) {
      this.lastPosition = view.queue.position;
      this.send({
        type: 'execution_queued',
        executionId: this.executionId,
        position: view.queue.position,
        queuedAt: view.queue.queuedAt,
      });
    }
    return !this.stopped;
  }

  private send(message: Record<string, unknown>): void {
    if (!sendBounded(this.ws, JSON.stringify(message), this.maxBuffered)) this.stop();
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.stop();
    this.failed(error);
  }
}
