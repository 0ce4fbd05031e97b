import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { cancelSubjects, type CancelSignal, type Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION, decodeJson } from '@flowstack/messaging';

/** How long a cancelled execution is remembered, so its tasks pulled later are not run. */
export const REMEMBER_CANCELLED_MS = 60 * 60 * 1000;
/** At most this many cancelled executions are remembered (the oldest are forgotten first). */
export const MAX_REMEMBERED = 10_000;

/** One running task's cancel handle. */
export interface TaskCancel {
  /** Aborts when the task's execution is cancelled. */
  readonly signal: AbortSignal;
  /** The task settled: stop tracking it. */
  release(): void;
}

/**
 * Listens to `control.cancel.*` (core NATS; every replica hears every signal) and aborts the
 * AbortSignals of the running tasks of a cancelled execution: the HTTP request (or LLM call) in
 * flight is aborted, so the upstream server sees the connection close. A cancelled execution is
 * remembered for an hour, so a task of it pulled after the signal (it was still queued in WORK) is
 * not run at all. The orchestrator ignores the results of cancelled executions either way.
 */
@Injectable()
export class TaskCancellations implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('cancel');
  private readonly running = new Map<string, Set<AbortController>>();
  /** executionId -> when it was cancelled (epoch ms), oldest first. */
  private readonly cancelled = new Map<string, number>();
  private subscription?: Subscription;
  /** Running tasks aborted by a cancel signal (tests and metrics). */
  aborted = 0;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  /** Subscribes before the work consumer pulls its first task (module init precedes bootstrap). */
  async onModuleInit(): Promise<void> {
    this.subscription = this.nc.subscribe(cancelSubjects(this.ns), {
      callback: (error, msg) => {
        if (error) return;
        const executionId = executionIdOf(msg.subject, msg.data);
        if (executionId) this.cancel(executionId);
      },
    });
    await this.nc.flush();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** True when `executionId` was cancelled (within the last hour): its tasks must not run. */
  isCancelled(executionId: string): boolean {
    const at = this.cancelled.get(executionId);
    return at !== undefined && Date.now() - at < REMEMBER_CANCELLED_MS;
  }

  /** A cancel handle for a task of `executionId` that starts now. */
  track(executionId: string): TaskCancel {
    const controller = new AbortController();
    let tasks = this.running.get(executionId);
    if (!tasks) this.running.set(executionId, (tasks = new Set()));
    tasks.add(controller);
    return {
      signal: controller.signal,
      release: () => {
        tasks.delete(controller);
        if (tasks.size === 0 && this.running.get(executionId) === tasks) this.running.delete(executionId);
      },
    };
  }

  /** Aborts every running task of `executionId` and remembers it. */
  cancel(executionId: string): void {
    this.cancelled.delete(executionId);
    this.cancelled.set(executionId, Date.now());
    while (this.cancelled.size > MAX_REMEMBERED) this.cancelled.delete(this.cancelled.keys().next().value as string);
    const tasks = this.running.get(executionId);
    if (!tasks) return;
    for (const controller of tasks) {
      if (controller.signal.aborted) continue;
      controller.abort(new Error(`execution ${executionId} was cancelled`));
      this.aborted++;
    }
    this.logger.log(`execution ${executionId} cancelled: aborted ${tasks.size} running task(s)`);
  }
}

/** The execution a signal names: its body's `executionId`, else the subject's last token. */
function executionIdOf(subject: string, data: Uint8Array): string | undefined {
  try {
    const signal = decodeJson<Partial<CancelSignal>>(data);
    if (typeof signal.executionId === 'string' && signal.executionId) return signal.executionId;
  } catch {
    // An unreadable body still names the execution in its subject.
  }
  const last = subject.slice(subject.lastIndexOf('.') + 1);
  return last || undefined;
}
