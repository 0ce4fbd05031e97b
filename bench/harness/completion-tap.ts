import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { Header, executionEventSubjects, type Namespace } from '@flowstack/contracts';
import { epochMs, withDeadline } from './clock';

const STREAM_PREFIX = 'execution-';

export interface Completion {
  /** When the bus carried the terminal event, epoch ms. */
  at: number;
  status: 'completed' | 'failed';
}

/**
 * Learns that executions finished from the terminal events the orchestrator publishes to EVENTS
 * right after the commit: a core NATS subscription sees JetStream publishes as they pass, so there
 * is no polling and no per-execution socket. An execution made only of inline nodes can finish
 * before its start request even answers, so completions are kept until someone asks for them.
 * The relay republishes every event (JetStream drops the duplicate, but a core subscriber sees
 * it), so only the first sighting of an execution counts.
 */
export class CompletionTap {
  private readonly seen = new Map<string, Completion>();
  private readonly waiters = new Map<string, (c: Completion) => void>();
  private readonly subs: Subscription[];

  constructor(nc: NatsConnection, ns: Namespace) {
    this.subs = (['ExecutionCompleted', 'ExecutionFailed'] as const).map((type) =>
      nc.subscribe(executionEventSubjects(ns, type), {
        callback: (err, msg) => {
          if (err) return;
          const streamId = msg.headers?.get(Header.streamId) ?? '';
          const executionId = streamId.slice(STREAM_PREFIX.length);
          if (!executionId || this.seen.has(executionId)) return;
          const completion: Completion = { at: epochMs(), status: type === 'ExecutionCompleted' ? 'completed' : 'failed' };
          this.seen.set(executionId, completion);
          const waiter = this.waiters.get(executionId);
          if (waiter) {
            this.waiters.delete(executionId);
            waiter(completion);
          }
        },
      }),
    );
  }

  /** Resolves when the execution's terminal event has passed (at once if it already has). */
  completion(executionId: string, timeoutMs: number): Promise<Completion> {
    const done = this.seen.get(executionId);
    if (done) return Promise.resolve(done);
    const waited = new Promise<Completion>((resolve) => this.waiters.set(executionId, resolve));
    return withDeadline(waited, timeoutMs, `execution ${executionId}`).finally(() => this.waiters.delete(executionId));
  }

  /** Forgets what was seen (between runs, so memory stays flat). */
  reset(): void {
    this.seen.clear();
  }

  close(): void {
    for (const sub of this.subs) sub.unsubscribe();
  }
}
