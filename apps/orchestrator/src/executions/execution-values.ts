import { Inject, Injectable } from '@nestjs/common';
import {
  FlowstackError,
  Limits,
  isValueRef,
  valueRefBytes,
  type EvaluationScope,
  type ExecutionEvent,
  type NodeError,
  type ValueRef,
  type WorkflowGraph,
} from '@flowstack/contracts';
import type { StoredEvent } from '@flowstack/event-store';
import { ValueStore, decideOffload, resolveScope } from '@flowstack/messaging';
import type { ExecutionCommand } from '../domain';
import { DEFAULT_EXECUTION_VALUE_BUDGET_BYTES, ORCHESTRATOR_CONFIG, type OrchestratorConfig } from '../orchestrator.config';
import type { InlineOutcome } from './inline-node.evaluator';

/** An inline node's outcome once its output is settled: stored out of band if large, and measured. */
export type SettledOutcome = { ok: true; output: unknown; outputBytes: number } | { ok: false; error: NodeError };

/** Workflow versions whose graph size is remembered (cleared whole when full: re-measuring is cheap). */
const GRAPHS_REMEMBERED = 10_000;

/** The node error of an output above `Limits.maxValueBytes`: not retryable, the same input makes it again. */
export const outputTooLarge = (size: number): NodeError => ({
  code: 'output_too_large',
  message: `the node's output is ${size} bytes of JSON; a value may be at most ${Limits.maxValueBytes}`,
  retryable: false,
});

/**
 * The claim check of the orchestrator's write path: inputs and node outputs above
 * `Limits.inlineValueBytes` are stored out of band before they reach an event (the event carries
 * the reference), and references are resolved before an inline node evaluates. Small values
 * (the common case) cost a type check, or one serialization for objects, and no round trip.
 *
 * The same measurement sizes every node output for the execution's value budget: completions
 * carry `outputBytes` and `valueBudgetBytes` (`EXECUTION_VALUE_BUDGET_BYTES`) to the decider,
 * which refuses the one that would pass it. Nothing is serialized a second time for it.
 */
@Injectable()
export class ExecutionValues {
  /** Per workflow version: the reference its graph travels as, or null when it travels inline. */
  private readonly graphs = new Map<string, ValueRef | null>();
  /** The execution value budget every completion is decided against. */
  readonly valueBudgetBytes: number;

  constructor(
    @Inject(ValueStore) private readonly store: ValueStore,
    // Defaults when constructed by hand (tests); Nest injects the configured one.
    @Inject(ORCHESTRATOR_CONFIG)
    config: Pick<OrchestratorConfig, 'executionValueBudgetBytes'> = {
      executionValueBudgetBytes: DEFAULT_EXECUTION_VALUE_BUDGET_BYTES,
    },
  ) {
    this.valueBudgetBytes = config.executionValueBudgetBytes;
  }

  /**
   * The command with its large value (a start's input, a completion's output) replaced by a
   * reference, and a completion measured for the value budget (`outputBytes`, `valueBudgetBytes`);
   * a completion whose output is above `Limits.maxValueBytes` becomes a `FailNode` with
   * `output_too_large`. The factory is called again on every conflict retry (fresh `now`): the
   * returned one substitutes the value stored once.
   */
  async prepare(command: () => ExecutionCommand, workspaceId: string): Promise<() => ExecutionCommand> {
    const first = command();
    if (first.type === 'StartExecution') {
      const offloaded = await this.store.offload(workspaceId, first.data.input);
      if (offloaded.kind === 'too_large') {
        throw new FlowstackError('payload_too_large', `the input is ${offloaded.size} bytes; at most ${Limits.maxValueBytes}`);
      }
      if (offloaded.kind === 'inline') return command;
      return () => {
        const c = command() as typeof first;
        return { ...c, data: { ...c.data, input: offloaded.ref } };
      };
    }
    if (first.type === 'CompleteNode') {
      const offloaded = await this.store.offload(workspaceId, first.data.output);
      const valueBudgetBytes = this.valueBudgetBytes;
      if (offloaded.kind === 'inline') {
        const outputBytes = offloaded.size;
        return () => {
          const c = command() as typeof first;
          return { ...c, data: { ...c.data, outputBytes, valueBudgetBytes } };
        };
      }
      if (offloaded.kind === 'ref') {
        const { ref } = offloaded;
        return () => {
          const c = command() as typeof first;
          return { ...c, data: { ...c.data, output: ref, outputBytes: valueRefBytes(ref), valueBudgetBytes } };
        };
      }
      const error = outputTooLarge(offloaded.size);
      return () => {
        const { data } = command() as typeof first;
        return {
          type: 'FailNode',
          data: {
            nodeId: data.nodeId,
            attempt: data.attempt,
            taskId: data.taskId,
            error,
            startedAt: data.startedAt,
            failedAt: data.completedAt,
            durationMs: data.durationMs,
            now: data.now,
          },
        };
      };
    }
    return command;
  }

  /**
   * An inline node's outcome with its output measured and, when large, replaced by a reference
   * (or failed `output_too_large`). A large output above `bytesLeft` (what the execution's value
   * budget leaves) is not stored: the decider refuses it from the same state, so it would only
   * hold object-store space for nothing. It comes back as it is, with its size.
   */
  async settle(workspaceId: string, outcome: InlineOutcome, bytesLeft = Infinity): Promise<SettledOutcome> {
    if (!outcome.ok) return outcome;
    const { output } = outcome;
    if (isValueRef(output)) return { ok: true, output, outputBytes: valueRefBytes(output) };
    const decision = decideOffload(output);
    switch (decision.kind) {
      case 'inline':
        return { ok: true, output, outputBytes: decision.size };
      case 'too_large':
        return { ok: false, error: outputTooLarge(decision.size) };
      case 'offload': {
        const outputBytes = decision.encoded.bytes.length;
        if (outputBytes > bytesLeft) return { ok: true, output, outputBytes };
        return { ok: true, output: await this.store.put(workspaceId, decision.encoded, output), outputBytes };
      }
    }
  }

  /**
   * The scope an inline node evaluates over: references resolved (the same object when there are
   * none). A value that is gone or corrupt fails the node (`value_unavailable`); NATS being away
   * throws, so the command is retried.
   */
  async scopeFor(workspaceId: string, scope: EvaluationScope): Promise<{ scope: EvaluationScope } | { error: NodeError }> {
    try {
      return { scope: await resolveScope(scope, (ref) => this.store.resolve(workspaceId, ref)) };
    } catch (e) {
      if (!(e instanceof FlowstackError)) throw e;
      return { error: { code: 'value_unavailable', message: e.message, retryable: false } };
    }
  }

  /**
   * The events as they are appended: an `ExecutionStarted` whose pinned graph is above
   * `Limits.inlineValueBytes` carries the graph as a reference (the decision's state keeps the
   * real graph; `expandStarted` puts it back when the stream is read). Other events pass as they are.
   */
  async outgoing(events: ExecutionEvent[], workspaceId: string): Promise<ExecutionEvent[]> {
    const first = events[0];
    if (first?.type !== 'ExecutionStarted') return events;
    // A version's graph never changes: measure it on its first start only, not on every start.
    const key = `${workspaceId}:${first.data.workflowId}:${first.data.workflowVersion}`;
    let graph = this.graphs.get(key);
    if (graph === undefined) {
      const offloaded = await this.store.offload(workspaceId, first.data.graph);
      if (offloaded.kind === 'too_large') {
        throw new FlowstackError(
          'payload_too_large',
          `the workflow graph is ${offloaded.size} bytes; at most ${Limits.maxValueBytes}`,
        );
      }
      graph = offloaded.kind === 'ref' ? offloaded.ref : null;
      if (this.graphs.size >= GRAPHS_REMEMBERED) this.graphs.clear();
      this.graphs.set(key, graph);
    }
    if (graph === null) return events;
    const started = { ...first, data: { ...first.data, graph: graph as unknown as WorkflowGraph } };
    return [started, ...events.slice(1)];
  }

  /** Read events with an out-of-band graph of `ExecutionStarted` resolved (the fold needs it). */
  async expandStarted(events: StoredEvent[], workspaceId: string): Promise<StoredEvent[]> {
    const first = events[0];
    if (first?.type !== 'ExecutionStarted') return events;
    const data = first.data as { graph?: unknown };
    if (!isValueRef(data.graph)) return events;
    const graph = await this.store.resolve(workspaceId, data.graph);
    return [{ ...first, data: { ...data, graph } }, ...events.slice(1)];
  }
}
