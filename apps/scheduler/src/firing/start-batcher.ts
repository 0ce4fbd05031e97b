import {
  FlowstackError,
  Limits,
  Rpc,
  START_BATCH_MAX,
  type StartExecutionBatchItem,
  type StartExecutionBatchResult,
  type StartExecutionPayload,
} from '@flowstack/contracts';
import { systemContext, type RpcClient } from '@flowstack/messaging';

/** A start under its derived id (a fire's). */
export type IdentifiedStart = StartExecutionPayload & { executionId: string };

/** How the batcher splits what it collected: by count, and by request size (the bus carries 1 MB). */
export interface StartBatchLimits {
  maxStarts: number;
  maxBytes: number;
  /** How long one batch request may take (it carries up to `maxStarts` starts). */
  timeoutMs: number;
}

export const DEFAULT_START_BATCH_LIMITS: StartBatchLimits = {
  maxStarts: START_BATCH_MAX,
  maxBytes: Limits.busMessageBytes / 2,
  timeoutMs: 30_000,
};

interface Waiting {
  start: IdentifiedStart;
  bytes: number;
  resolve: (item: StartExecutionBatchItem) => void;
  reject: (error: unknown) => void;
}

/**
 * Turns the starts the fire loop asks for one at a time into `orchestrator.execution.startBatch`
 * requests: everything asked within one turn of the event loop (a claim's schedules all ask at
 * once) goes out together, one request per workspace (the request's context is the tenancy of all
 * its starts) and per `maxStarts` or `maxBytes`. Each caller gets its own start's answer; a
 * request that fails as a whole (a timeout, nobody answering) fails each of its starts with that
 * error, as a single start would have.
 */
export class StartBatcher {
  private waiting = new Map<string, Waiting[]>();
  private flushing = false;

  constructor(
    private readonly rpc: RpcClient,
    private readonly limits: StartBatchLimits = DEFAULT_START_BATCH_LIMITS,
  ) {}

  start(workspaceId: string, start: IdentifiedStart): Promise<StartExecutionBatchItem> {
    return new Promise((resolve, reject) => {
      const bytes = Buffer.byteLength(JSON.stringify(start));
      const list = this.waiting.get(workspaceId) ?? [];
      list.push({ start, bytes, resolve, reject });
      this.waiting.set(workspaceId, list);
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushing = false;
    const waiting = this.waiting;
    this.waiting = new Map();
    for (const [workspaceId, list] of waiting) {
      for (const batch of this.split(list)) void this.send(workspaceId, batch);
    }
  }

  /** Consecutive runs of at most `maxStarts` starts and `maxBytes` (a larger start goes alone). */
  private split(list: Waiting[]): Waiting[][] {
    const batches: Waiting[][] = [];
    let current: Waiting[] = [];
    let bytes = 0;
    for (const w of list) {
      if (current.length > 0 && (current.length >= this.limits.maxStarts || bytes + w.bytes > this.limits.maxBytes)) {
        batches.push(current);
        current = [];
        bytes = 0;
      }
      current.push(w);
      bytes += w.bytes;
    }
    if (current.length > 0) batches.push(current);
    return batches;
  }

  private async send(workspaceId: string, batch: Waiting[]): Promise<void> {
    try {
      const { results } = await this.rpc.request<StartExecutionBatchResult>(
        Rpc.orchestrator.executionStartBatch,
        { starts: batch.map((w) => w.start) },
        systemContext(workspaceId),
        this.limits.timeoutMs,
      );
      batch.forEach((w, i) => {
        const item = results[i];
        if (item && item.executionId === w.start.executionId.toLowerCase()) w.resolve(item);
        else w.reject(new FlowstackError('internal', `the batch answer has no result for start ${i}`));
      });
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }
}
