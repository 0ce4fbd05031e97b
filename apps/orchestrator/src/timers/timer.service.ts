import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { systemContext } from '@flowstack/messaging';
import { ExecutionRuleViolation } from '../domain';
import { ExecutionHandler } from '../executions/execution.handler';
import { ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import type { ClaimedTimer } from './timer.store';
import { TimerStore } from './timer.store';
import { SUB_WORKFLOW_TIMER_KINDS, SubWorkflowService } from '../sub-workflows/sub-workflow.service';

/** Timers one replica fires at once (each is one execution-handler decision). */
const MAX_FIRING = 64;

/** The timer settings of `OrchestratorConfig`. */
export type TimerSettings = Pick<OrchestratorConfig, 'timerPollIntervalMs' | 'timerLeaseMs' | 'timerBatchSize'>;

/**
 * Fires due durable timers: claims them (`TimerStore.claimDue`: one replica per timer), decides
 * `FireTimer` for each through the execution handler (which records `TimerFired` and schedules
 * the retry's attempt or completes the delay), then marks them fired. A failure leaves the timer
 * claimed until its lease ends, and the next claim (here or on another replica) tries again; the
 * decider makes a second firing a no-op.
 *
 * It wakes for the nearest due timer with an in-process `setTimeout` (timers this process records
 * arm it at once, through `TimerStore.armed`), and polls every `timerPollIntervalMs` for the ones
 * other replicas recorded or that a dead replica left claimed.
 */
@Injectable()
export class TimerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('timers');
  private wake?: NodeJS.Timeout;
  private wakeAt = Infinity;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;
  /** Timers fired by this process (tests and metrics). */
  fired = 0;
  /** Firings under way (each holds its timer's lease). */
  private readonly firing = new Set<Promise<void>>();

  constructor(
    private readonly store: TimerStore,
    private readonly executions: ExecutionHandler,
    @Inject(ORCHESTRATOR_CONFIG) private readonly settings: TimerSettings,
    // Absent only in tests that build the service by hand: sub-workflow timers are not fired.
    @Optional() private readonly subWorkflows?: SubWorkflowService,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.store.onArmed((dueAt) => this.armFor(dueAt.getTime()));
    this.armFor(Date.now());
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.wake);
    await this.running;
    await Promise.allSettled([...this.firing]);
  }

  /** Wakes at `at` (epoch ms) unless a wake-up is already due earlier. */
  private armFor(at: number): void {
    if (this.stopped) return;
    if (this.running) {
      // A round is on: it re-arms for the nearest timer when it ends; make sure it looks again.
      if (at <= Date.now() + 1) this.again = true;
      else if (at < this.wakeAt) this.schedule(at);
      return;
    }
    if (at >= this.wakeAt) return;
    this.schedule(at);
  }

  private schedule(at: number): void {
    clearTimeout(this.wake);
    this.wakeAt = at;
    this.wake = setTimeout(() => this.startRound(), Math.max(0, at - Date.now()));
    this.wake.unref();
  }

  private startRound(): void {
    this.wakeAt = Infinity;
    if (this.running || this.stopped) return;
    this.running = this.round()
      .catch((e: unknown) => this.logger.error(`timer round failed: ${(e as Error).message}`))
      .finally(() => {
        this.running = undefined;
        void this.rearm();
      });
  }

  /** After a round: at once if asked, else for the nearest claimable timer, at most one poll interval away. */
  private async rearm(): Promise<void> {
    if (this.stopped) return;
    const poll = Date.now() + this.settings.timerPollIntervalMs;
    if (this.again) {
      this.again = false;
      this.schedule(Date.now());
      return;
    }
    let next = poll;
    try {
      const nearest = await this.store.nextClaimableAt();
      if (nearest) next = Math.min(poll, nearest.getTime());
    } catch (e) {
      this.logger.warn(`looking for the next timer failed: ${(e as Error).message}`);
    }
    if (!this.stopped && !this.running && next < this.wakeAt) this.schedule(next);
  }

  /**
   * Claims every due timer, batch after batch, and starts firing each without waiting for it: a
   * round lasts about one claim query, so a timer that comes due while others are being fired is
   * claimed at its own wake-up, not after them. The claims' leases keep timers in flight from
   * being claimed again; at most `MAX_FIRING` fire at once.
   */
  private async round(): Promise<void> {
    const { timerLeaseMs, timerBatchSize } = this.settings;
    for (;;) {
      while (this.firing.size >= MAX_FIRING) await Promise.race(this.firing);
      const room = Math.min(timerBatchSize, MAX_FIRING - this.firing.size);
      const claimed = await this.store.claimDue(new Date(), timerLeaseMs, room);
      for (const timer of claimed) {
        const work: Promise<void> = this.fire(timer).finally(() => this.firing.delete(work));
        this.firing.add(work);
      }
      if (claimed.length < room || this.stopped) return;
    }
  }

  /** Fires one claimed timer; a failure is logged and left to the lease (never thrown). */
  async fire(timer: ClaimedTimer): Promise<void> {
    try {
      if (SUB_WORKFLOW_TIMER_KINDS.has(timer.kind)) {
        // Starting a child, reporting its end, cancelling it: I/O around the decisions.
        if (!this.subWorkflows) return;
        await this.subWorkflows.fire(timer);
        await this.store.markFired(timer, new Date());
        this.fired++;
        return;
      }
      await this.executions.handle(
        timer.executionId,
        timer.workspaceId,
        () => ({ type: 'FireTimer', data: { timerId: timer.timerId, nodeId: timer.nodeId, now: new Date().toISOString() } }),
        systemContext(timer.workspaceId, timer.executionId),
        `timer:${timer.executionId}:${timer.timerId}`,
      );
      await this.store.markFired(timer, new Date());
      this.fired++;
    } catch (e) {
      if (e instanceof ExecutionRuleViolation) {
        // A timer naming no node of its execution can never fire: done, with a log line.
        this.logger.warn(`timer ${timer.timerId} of execution ${timer.executionId} cannot fire: ${e.message}`);
        await this.store.markFired(timer, new Date()).catch(() => undefined);
        return;
      }
      this.logger.error(
        `timer ${timer.timerId} of execution ${timer.executionId} not fired, retried after its lease: ${(e as Error).message}`,
      );
    }
  }
}
