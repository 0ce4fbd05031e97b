import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { executionStreamId, type ExecutionEvent, type RequestContext } from '@flowstack/contracts';
import {
  PostgresEventStore,
  StreamVersionConflict,
  type AppendResult,
  type NewEvent,
  type OutboundMessage,
  type StoredEvent,
} from '@flowstack/event-store';
import {
  ExecutionRuleViolation,
  decide,
  evolve,
  foldEvents,
  initialState,
  isActive,
  linkedTimersOf,
  pendingInlineNodes,
  scopeOf,
  timersOf,
  type ExecutionCommand,
  type ExecutionState,
  type LinkedTimer,
  type TimerToArm,
} from '../domain';
import { EVENT_STORE } from '../orchestrator.config';
import { TaskDispatcher } from '../dispatch/task.dispatcher';
import { ExecutionStateCache } from './execution-state.cache';
import { toExecutionEvent, toNewEvent } from './execution-events.codec';
import { settlesCredits } from '../billing/settling-events';
import { ExpressionBudget, type InlineLimits } from './expression.budget';
import { evaluateInlineNode } from './inline-node.evaluator';
import { ExecutionValues, type SettledOutcome } from './execution-values';
import { TimerStore } from '../timers/timer.store';
import { CreditHolds } from '../billing/credit-holds';
import { recordExecutionMetrics } from './execution.metrics';
import { recordExecutionSpans } from './execution.tracing';
import { AdmissionStore } from '../admission/admission.store';
import { TaskGateStore } from '../admission/task-gate.store';

export interface HandleOutcome {
  state: ExecutionState;
  /** Events this call appended; empty when the command was a no-op (already done). */
  appended: StoredEvent[];
}

/** A start decided for an append with others (`startMany`). */
interface DecidedStart {
  streamId: string;
  executionId: string;
  workspaceId: string;
  state: ExecutionState;
  outgoing: NewEvent[];
  alongside: OutboundMessage[];
}

/** The promise's outcome as a value: it never rejects, so it can wait in a list unhandled. */
function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

/** How `ExecutionHandler.handle` may save a read. */
export interface HandleOptions {
  /**
   * The caller has just seen that the stream does not exist (a batch of starts checked all their
   * ids in one query): decide on the empty state without reading it. If it exists after all, the
   * append's expected position (0) conflicts and the stream is read as usual.
   */
  assumeNew?: boolean;
  /**
   * Called once, right after the decision's events are committed and before they are published:
   * what the caller must do only once the command is durable (ack the message that carried it)
   * can go out with the publish, in the same socket write. Not called when nothing is appended.
   */
  onCommitted?: () => void;
}

/** The events that end an execution (and free its workspace's running slot). */
const ENDS = new Set(['ExecutionCompleted', 'ExecutionFailed', 'ExecutionCancelled']);

/** A version conflict means another replica moved the stream; this many reloads is plenty. */
const MAX_CONFLICT_RETRIES = 25;

/**
 * The one write path for executions: load (the cached state as is, else cached state + the events
 * after it), decide, evaluate
 * the inline nodes the decision scheduled (deciding again after each), append everything in one
 * transaction with the expected position, then publish events and node tasks together. A conflict reloads
 * and decides again; decisions are pure, so re-running them is safe.
 */
@Injectable()
export class ExecutionHandler {
  private readonly logger = new Logger('executions');

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly cache: ExecutionStateCache,
    private readonly dispatcher: TaskDispatcher,
    private readonly values: ExecutionValues,
    // Defaults when constructed by hand (tests); Nest injects the configured one.
    private readonly budget: ExpressionBudget = new ExpressionBudget(),
    // Absent only in tests that build the handler by hand and record no timers.
    @Optional() private readonly timers?: TimerStore,
    // Absent only in tests that build the handler by hand: nothing is held or charged.
    @Optional() private readonly credits?: CreditHolds,
    // Absent only in tests that build the handler by hand: no workspace slots are kept.
    @Optional() private readonly admission?: AdmissionStore,
    // Absent (or limit 0) when node tasks of a workspace are not limited in flight.
    @Optional() private readonly taskGate?: TaskGateStore,
  ) {}

  async handle(
    executionId: string,
    workspaceId: string,
    command: () => ExecutionCommand,
    ctx: RequestContext,
    causationId?: string,
    options: HandleOptions = {},
  ): Promise<HandleOutcome> {
    const streamId = executionStreamId(executionId);
    // Large inputs and outputs go out of band once, before any decision: events carry references.
    const prepared = await this.values.prepare(command, workspaceId);
    for (let attempt = 1; ; attempt++) {
      // First try the cached state as it is (or, for a stream the caller just found absent, the
      // empty one), without reading the store: the append's expected position proves it current.
      // Only a decision to append can be proven so; a no-op or a refusal on such a state may just
      // mean it missed events, so those are decided again on the store's state before they count.
      const cached =
        attempt === 1
          ? (this.trustedCache(streamId, workspaceId) ?? (options.assumeNew ? { state: initialState(), position: 0 } : undefined))
          : undefined;
      const { state: loaded, position } = cached ?? (await this.load(streamId, workspaceId));
      let decided: { state: ExecutionState; events: ExecutionEvent[] };
      try {
        decided = await this.decideWithInlineNodes(prepared(), loaded, workspaceId);
      } catch (e) {
        if (cached && e instanceof ExecutionRuleViolation) continue;
        throw e;
      }
      if (decided.events.length === 0) {
        if (cached) continue;
        return { state: decided.state, appended: [] };
      }
      // Costed attempts hold their maximum cost before their tasks exist; a refusal fails the run.
      const { state, events, refused } = this.credits
        ? await this.credits.holdScheduled(decided.state, decided.events, ctx)
        : { ...decided, refused: false };
      try {
        // The node tasks go out with the events, in one batch after the commit (the fast path).
        const outgoing = (await this.values.outgoing(events, workspaceId)).map((e) =>
          toNewEvent(e, ctx, causationId, settlesCredits(state, e)),
        );
        const alongside = refused ? [] : await this.dispatcher.taskMessages(state, events);
        const timers = timersOf(events);
        // A child's end reports to its parent, a parent's end cancels its children: rows of the
        // other execution, in this transaction (see ../sub-workflows/README.md).
        const linked = linkedTimersOf(state, events);
        const gate = this.taskGate && this.taskGate.limit > 0 && alongside.length > 0 ? this.taskGate : undefined;
        // Cached as soon as it is committed: a task's result can come back before the publish's acks.
        const committed = (appended: AppendResult): void => {
          this.cache.set(streamId, state, appended.lastPosition);
          options.onCommitted?.();
        };
        const result =
          ((timers.length > 0 || linked.length > 0) && this.timers) || gate
            ? await this.appendInTransaction(
                streamId,
                executionId,
                workspaceId,
                outgoing,
                position,
                alongside,
                timers,
                linked,
                gate,
                committed,
              )
            : await this.store.append(streamId, workspaceId, outgoing, {
                expectedPosition: position,
                alongside,
                onCommitted: committed,
              });
        // Metrics and spans first: they describe the commit, and must not wait on billing's answers.
        recordExecutionMetrics(state, result.events);
        recordExecutionSpans(state, result.events);
        await this.credits?.settle(state, result.events, ctx);
        await this.adjustSlot(state, executionId, workspaceId, result.events);
        return { state, appended: result.events };
      } catch (e) {
        if (!(e instanceof StreamVersionConflict) || attempt >= MAX_CONFLICT_RETRIES) throw e;
        // The cache stays: the next attempt reads only the events after its position.
        this.logger.debug(`conflict on ${streamId} (attempt ${attempt}); reloading`);
      }
    }
  }

  /**
   * Starts many executions whose streams the caller just found absent, for about the cost of one:
   * each is decided on the empty state (inline nodes and credit holds as in `handle`), then all
   * are appended in one statement and published in one batch. Each gets its own outcome: one whose
   * decision fails is rejected alone. A start that must commit more than its events (a durable
   * timer, a sub-workflow's link, a gated task) goes through `handle`, and so does every start of
   * the batch when the one statement is refused (a stream existed after all: `handle` then reads
   * it and answers what is there).
   */
  async startMany(
    starts: ReadonlyArray<{ executionId: string; workspaceId: string; command: () => ExecutionCommand }>,
    ctx: RequestContext,
  ): Promise<Array<PromiseSettledResult<HandleOutcome>>> {
    const one = (i: number) =>
      settle(this.handle(starts[i].executionId, starts[i].workspaceId, starts[i].command, ctx, undefined, { assumeNew: true }));
    // Every start's command (its `now`: the run's startedAt) is taken before any is decided, so
    // the batch's runs start together, not one decision's CPU time after another.
    const prepared = await Promise.all(starts.map((s) => this.values.prepare(s.command, s.workspaceId).catch(() => undefined)));
    const commands = prepared.map((p) => p?.());
    // A start whose preparation or decision failed here goes through `handle` too, which says why
    // (or, if its stream existed after all, answers what is there).
    const decided = await Promise.all(
      starts.map((s, i) => {
        const command = commands[i];
        return command
          ? this.decideStart(s.executionId, s.workspaceId, command, ctx).catch(() => undefined)
          : Promise.resolve(undefined);
      }),
    );
    const together = decided.flatMap((start, i) => (start ? [{ i, start }] : []));
    const results = decided.map((start, i) => (start ? undefined : one(i)));
    if (together.length > 0) {
      let appended: AppendResult[] | undefined;
      try {
        appended = await this.store.appendNewStreams(
          together.map(({ start }) => ({ streamId: start.streamId, workspaceId: start.workspaceId, events: start.outgoing })),
          {
            alongside: together.flatMap(({ start }) => start.alongside),
            // Cached once committed, as in `handle`: a first task's result can beat the acks.
            onCommitted: (results) =>
              together.forEach(({ start }, k) => this.cache.set(start.streamId, start.state, results[k].lastPosition)),
          },
        );
      } catch (e) {
        this.logger.debug(`a batch of ${together.length} starts appended one by one: ${String(e)}`);
      }
      together.forEach(({ i, start }, k) => {
        results[i] = appended ? settle(this.afterStart(start, appended[k], ctx)) : one(i);
      });
    }
    return Promise.all(results as Array<Promise<PromiseSettledResult<HandleOutcome>>>);
  }

  /** A start (its command prepared: values offloaded) decided on the empty state, ready to append with others; undefined when it must go alone. */
  private async decideStart(
    executionId: string,
    workspaceId: string,
    command: ExecutionCommand,
    ctx: RequestContext,
  ): Promise<DecidedStart | undefined> {
    const decided = await this.decideWithInlineNodes(command, initialState(), workspaceId);
    if (decided.events.length === 0) return undefined;
    const { state, events, refused } = this.credits
      ? await this.credits.holdScheduled(decided.state, decided.events, ctx)
      : { ...decided, refused: false };
    const alongside = refused ? [] : await this.dispatcher.taskMessages(state, events);
    const gated = this.taskGate && this.taskGate.limit > 0 && alongside.length > 0;
    if (timersOf(events).length > 0 || linkedTimersOf(state, events).length > 0 || gated) return undefined;
    const outgoing = (await this.values.outgoing(events, workspaceId)).map((e) => toNewEvent(e, ctx));
    return { streamId: executionStreamId(executionId), executionId, workspaceId, state, outgoing, alongside };
  }

  /** What `handle` does after its append, for a start appended with others. */
  private async afterStart(start: DecidedStart, result: AppendResult, ctx: RequestContext): Promise<HandleOutcome> {
    recordExecutionMetrics(start.state, result.events);
    recordExecutionSpans(start.state, result.events);
    await this.credits?.settle(start.state, result.events, ctx);
    await this.adjustSlot(start.state, start.executionId, start.workspaceId, result.events);
    return { state: start.state, appended: result.events };
  }

  /**
   * An execution that ended frees its workspace's running slot (and the next queued run starts);
   * one retried runs again and takes a slot back. A crash before this is repaired by the
   * admission sweeper, so a failure here is logged, never thrown at a write that committed.
   */
  private async adjustSlot(
    state: ExecutionState,
    executionId: string,
    workspaceId: string,
    events: readonly StoredEvent[],
  ): Promise<void> {
    await this.releaseTasks(state, executionId, workspaceId, events);
    if (!this.admission?.keepsSlots) return;
    try {
      const last = [...events].reverse().find((e) => ENDS.has(e.type) || e.type === 'ExecutionRetried');
      if (!last) return;
      if (last.type === 'ExecutionRetried') await this.admission.occupy(executionId, workspaceId);
      else await this.admission.release(executionId);
    } catch (e) {
      this.logger.warn(`workspace slot of ${executionId} not adjusted (the sweeper will): ${String(e)}`);
    }
  }

  /**
   * Node tasks answered (or of an execution that ended) leave the workspace's in-flight count, and
   * its waiting tasks go out in their room. A failure is left to the admission sweeper.
   */
  private async releaseTasks(
    state: ExecutionState,
    executionId: string,
    workspaceId: string,
    events: readonly StoredEvent[],
  ): Promise<void> {
    const gate = this.taskGate;
    if (!gate || gate.limit <= 0) return;
    // Only remote nodes' tasks are counted (inline ones never leave the orchestrator).
    const nodes = state.status === 'pending' ? {} : state.nodes;
    const answered = events
      .filter((e) => e.type === 'NodeCompleted' || e.type === 'NodeFailed')
      .map((e) => e.data as { taskId: string; nodeId: string })
      .filter((d) => nodes[d.nodeId]?.mode === 'remote')
      .map((d) => d.taskId);
    const ended = events.some((e) => ENDS.has(e.type)) ? [executionId] : [];
    try {
      if (await gate.release(workspaceId, answered, ended)) await this.sendWaitingTasks(workspaceId);
    } catch (e) {
      this.logger.warn(`node tasks of ${executionId} not released (the sweeper will): ${String(e)}`);
    }
  }

  /** Sends the workspace's oldest waiting node tasks in its free room; a failed publish puts them back. */
  async sendWaitingTasks(workspaceId: string): Promise<number> {
    const gate = this.taskGate;
    if (!gate) return 0;
    const messages = await gate.takeWaiting(workspaceId);
    if (messages.length === 0) return 0;
    try {
      await this.dispatcher.publish(messages);
    } catch (e) {
      await gate.unsend(messages.map((m) => m.msgId));
      throw e;
    }
    return messages.length;
  }

  /**
   * Appends events in one transaction with what must commit with them: the durable timers they
   * start (a crash can never leave one without the other) and, under a per-workspace in-flight
   * limit, the record of their node tasks (sent now or waiting). Then publishes the events and
   * the tasks to send, and wakes this process's timer service for the timers.
   */
  private async appendInTransaction(
    streamId: string,
    executionId: string,
    workspaceId: string,
    events: NewEvent[],
    expectedPosition: number,
    alongside: OutboundMessage[],
    armed: TimerToArm[],
    linked: readonly LinkedTimer[],
    gate: TaskGateStore | undefined,
    committed: (result: AppendResult) => void,
  ): Promise<AppendResult> {
    const transaction = this.timers ?? gate!;
    let send = alongside;
    const result = await transaction.transaction(async (client) => {
      const appended = await this.store.append(streamId, workspaceId, events, { expectedPosition, client });
      if (armed.length > 0) await this.timers?.insert(client, executionId, workspaceId, armed);
      for (const timer of linked) await this.timers?.insert(client, timer.executionId, workspaceId, [timer]);
      if (gate) send = await gate.gate(client, workspaceId, executionId, alongside);
      return appended;
    });
    committed(result);
    await this.store.publish(result.events, send);
    const woken = [...armed, ...linked];
    if (woken.length > 0) this.timers?.armed(woken);
    return result;
  }

  /** The cached state of an execution of this workspace, if any, to decide on without a read. */
  private trustedCache(streamId: string, workspaceId: string): { state: ExecutionState; position: number } | undefined {
    const cached = this.cache.get(streamId);
    return cached && cached.state.status !== 'pending' && cached.state.workspaceId === workspaceId ? cached : undefined;
  }

  /** The execution's current state, or the pending state if it does not exist in this workspace. */
  async load(streamId: string, workspaceId: string): Promise<{ state: ExecutionState; position: number }> {
    const cached = this.cache.get(streamId);
    const usable = cached && (cached.state.status === 'pending' || cached.state.workspaceId === workspaceId);
    const after = usable ? cached.position : 0;
    const events = await this.values.expandStarted(
      await this.store.readStream(streamId, { workspaceId, afterPosition: after }),
      workspaceId,
    );
    const state = foldEvents(events.map(toExecutionEvent), usable ? cached.state : initialState());
    const position = events.length ? events[events.length - 1].streamPosition : after;
    if (events.length) this.cache.set(streamId, state, position);
    return { state, position };
  }

  private async decideWithInlineNodes(
    command: ExecutionCommand,
    initial: ExecutionState,
    workspaceId: string,
  ): Promise<{ state: ExecutionState; events: ExecutionEvent[] }> {
    let state = initial;
    const events: ExecutionEvent[] = [];
    const apply = (decided: ExecutionEvent[]): void => {
      for (const event of decided) {
        state = evolve(state, event);
        events.push(event);
      }
    };
    apply(decide(command, state));
    // The execution's expression budget, from its recorded durations (deterministic on replay).
    let spentMs = this.budget.spentBy(state);
    // Inline nodes (input, transform, condition, output) are decided here, in the same append:
    // no round trip through NATS for work that needs no I/O.
    for (let ready = pendingInlineNodes(state); ready.length > 0; ready = pendingInlineNodes(state)) {
      for (const nodeId of ready) {
        if (!isActive(state)) break;
        const node = state.topology.nodes[nodeId];
        const nodeState = state.nodes[nodeId];
        const started = new Date();
        const limits = this.budget.limits(spentMs, state.workspaceId);
        // What the value budget leaves: an output above it is refused by the decider, so it is not stored.
        const bytesLeft = this.values.valueBudgetBytes - state.valueBytes;
        const outcome = await this.evaluate(node, scopeOf(state), workspaceId, limits, bytesLeft);
        const finished = new Date();
        spentMs += finished.getTime() - started.getTime();
        const common = {
          nodeId,
          attempt: nodeState.attempts,
          taskId: nodeState.taskId!,
          startedAt: started.toISOString(),
          durationMs: finished.getTime() - started.getTime(),
          now: finished.toISOString(),
        };
        apply(
          decide(
            outcome.ok
              ? {
                  type: 'CompleteNode',
                  data: {
                    ...common,
                    output: outcome.output,
                    completedAt: common.now,
                    cost: 0,
                    // The execution's value budget is decided on what its completions recorded.
                    outputBytes: outcome.outputBytes,
                    valueBudgetBytes: this.values.valueBudgetBytes,
                  },
                }
              : { type: 'FailNode', data: { ...common, error: outcome.error, failedAt: common.now, random: Math.random() } },
            state,
          ),
        );
      }
      if (!isActive(state)) break;
    }
    return { state, events };
  }

  /** Evaluates an inline node over its scope with references resolved; a large output goes out of band. */
  private async evaluate(
    node: Parameters<typeof evaluateInlineNode>[0],
    scope: Parameters<typeof evaluateInlineNode>[1],
    workspaceId: string,
    limits: InlineLimits,
    bytesLeft: number,
  ): Promise<SettledOutcome> {
    const resolved = await this.values.scopeFor(workspaceId, scope);
    if ('error' in resolved) return { ok: false, error: resolved.error };
    return this.values.settle(workspaceId, await evaluateInlineNode(node, resolved.scope, limits), bytesLeft);
  }
}
