/**
 * Test support for the execution specs: graph and event builders, and a given/when/then harness
 * in the style of Emmett's `DeciderSpecification`. Only `*.spec.ts` files import this.
 */
import type {
  ExecutionEvent,
  GraphEdge,
  GraphNode,
  NodeCompleted,
  NodeError,
  NodeScheduled,
  NodeSkipped,
  NodeType,
  WorkflowGraph,
} from '@flowstack/contracts';
import type { CompleteNode, ExecutionCommand, FailNode, StartExecution } from './execution.commands';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import type { ExecutionRuleCode } from './execution-rule-violation.error';

/** The execution every spec runs; task ids are `exec-1:<node>:<attempt>`. */
export const EXECUTION_ID = 'exec-1';
/** When the spec's execution starts. */
export const T0 = '2025-03-01T10:00:00.000Z';

/** The ISO time `seconds` after `T0`. */
export const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

/** A graph node with no config: the decider looks only at ids and types. */
export const node = (id: string, type: NodeType): GraphNode => ({ id, type });

/** `[from, to]` or `[from, to, when]`. */
export type EdgeSpec = readonly [string, string] | readonly [string, string, string];

/** A graph from nodes and edge tuples; the entry point is the first node unless given. */
export function graphOf(nodes: GraphNode[], edges: EdgeSpec[], entryPoint = nodes[0].id): WorkflowGraph {
  const graphEdges = edges.map(([from, to, when]): GraphEdge => (when === undefined ? { from, to } : { from, to, when }));
  return { nodes, edges: graphEdges, entry_point: entryPoint };
}

/** `StartExecution` of `graph` with fixed identity, input and trigger. */
export function startExecution(graph: WorkflowGraph, now = T0): StartExecution {
  return {
    type: 'StartExecution',
    data: {
      executionId: EXECUTION_ID,
      workspaceId: 'ws-1',
      workflowId: 'wf-1',
      workflowVersion: 3,
      graph,
      input: { question: 'why?' },
      trigger: { type: 'manual', by: 'user-1' },
      now,
    },
  };
}

/** The `ExecutionStarted` that `startExecution(graph, now)` records. */
export function executionStarted(graph: WorkflowGraph, now = T0): ExecutionEvent {
  const { now: startedAt, ...data } = startExecution(graph, now).data;
  return { type: 'ExecutionStarted', data: { ...data, startedAt } };
}

/** The task id of `nodeId`'s attempt in the spec's execution. */
export const taskId = (nodeId: string, attempt = 1): string => `${EXECUTION_ID}:${nodeId}:${attempt}`;

/** `NodeScheduled` for an attempt (default 1) at `now`. */
export function nodeScheduled(nodeId: string, mode: 'inline' | 'remote' | 'timer', now = T0, attempt = 1): NodeScheduled {
  return { type: 'NodeScheduled', data: { nodeId, attempt, taskId: taskId(nodeId, attempt), mode, scheduledAt: now } };
}

/** When an attempt ran: it started at `startedAt`, finished at `finishedAt`, decided at `now`. */
export interface AttemptOptions {
  attempt?: number;
  cost?: number;
  startedAt?: string;
  finishedAt?: string;
  now?: string;
}

function attemptOf(nodeId: string, options: AttemptOptions) {
  const attempt = options.attempt ?? 1;
  const finishedAt = options.finishedAt ?? options.now ?? T0;
  const startedAt = options.startedAt ?? finishedAt;
  const durationMs = Date.parse(finishedAt) - Date.parse(startedAt);
  return { nodeId, attempt, taskId: taskId(nodeId, attempt), startedAt, finishedAt, durationMs };
}

/** `CompleteNode` for a result; without options: attempt 1, at `T0`, no cost. */
export function completeNode(nodeId: string, output: unknown, options: AttemptOptions = {}): CompleteNode {
  const { finishedAt, ...attempt } = attemptOf(nodeId, options);
  const cost = options.cost === undefined ? {} : { cost: options.cost };
  return {
    type: 'CompleteNode',
    data: { ...attempt, output, completedAt: finishedAt, ...cost, now: options.now ?? finishedAt },
  };
}

/** The `NodeCompleted` that `completeNode(nodeId, output, options)` records. */
export function nodeCompleted(nodeId: string, output: unknown, options: AttemptOptions = {}): NodeCompleted {
  const { finishedAt, ...attempt } = attemptOf(nodeId, options);
  return { type: 'NodeCompleted', data: { ...attempt, output, completedAt: finishedAt, cost: options.cost ?? 0 } };
}

/** `FailNode` for a failed attempt; without options: attempt 1, at `T0`. */
export function failNode(nodeId: string, error: NodeError, options: AttemptOptions = {}): FailNode {
  const { finishedAt, ...attempt } = attemptOf(nodeId, options);
  return { type: 'FailNode', data: { ...attempt, error, failedAt: finishedAt, now: options.now ?? finishedAt } };
}

/** `NodeSkipped` at `now`. */
export const nodeSkipped = (nodeId: string, now = T0): NodeSkipped => ({
  type: 'NodeSkipped',
  data: { nodeId, skippedAt: now },
});

/** A node that was scheduled and then succeeded: the two events a history needs for it. */
export const ran = (
  nodeId: string,
  mode: 'inline' | 'remote',
  output: unknown,
  options: AttemptOptions = {},
): ExecutionEvent[] => [
  nodeScheduled(nodeId, mode, options.startedAt ?? options.now ?? T0, options.attempt ?? 1),
  nodeCompleted(nodeId, output, options),
];

/**
 * `given(...history).when(command).then(expected)`: folds the history, decides the command and
 * compares the events exactly (`toStrictEqual`: an `undefined` field where none belongs fails).
 */
export function given(...events: ExecutionEvent[]) {
  return {
    when(command: ExecutionCommand) {
      const run = (): ExecutionEvent[] => decide(command, foldEvents(events));
      return {
        then: (expected: ExecutionEvent[]): void => expect(run()).toStrictEqual(expected),
        thenNothingHappened: (): void => expect(run()).toStrictEqual([]),
        thenThrows(code: ExecutionRuleCode, message: string): void {
          let thrown: unknown;
          try {
            run();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(ExecutionRuleViolation);
          expect(thrown).toMatchObject({ code, message, retryable: false, name: 'ExecutionRuleViolation' });
        },
      };
    },
  };
}
