/**
 * The state of one execution, folded from its stream `execution-<id>`. A union keyed on `status`:
 * code that switches on it ends in a `never` check, so a new status is a compile error wherever
 * it is unhandled.
 */
import type {
  ApprovalRequested,
  ChildExecutionView,
  NodeMode,
  CopiedFrom,
  ExecutionCancelled,
  ExecutionFailed,
  ExecutionStarted,
  NodeCostCap,
  NodeError,
  NodeStatus,
  TimerKind,
  WorkflowGraph,
} from '@flowstack/contracts';
import type { Topology } from './graph.topology';

/** One node's progress. Per-attempt fields are cleared when a new attempt is scheduled. */
export interface NodeState {
  status: NodeStatus;
  /** The current attempt number; 0 until first scheduled. */
  attempts: number;
  taskId?: string;
  mode?: NodeMode;
  /** The durable timer the node waits on (a retry's backoff, a delay, a gate's timeout), until it fires. */
  timer?: PendingTimer;
  /**
   * The node's schedule-to-close timer (`schedule_to_close`), armed with the first attempt of its
   * retry cycle and kept across attempts; it fails the node with `timeout` if it has not finished.
   */
  deadline?: PendingTimer;
  /** A `human_gate` waiting for its decision: what `ApprovalRequested` recorded. */
  approval?: ApprovalRequested['data'];
  output?: unknown;
  error?: NodeError;
  scheduledAt?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  cost?: number;
  /** The credits held for the current attempt (`NodeCostHeld`); a new attempt starts without one. */
  hold?: { holdId: string; amount: number; attempt: number };
  /**
   * The attempt number the node's current retry cycle counts from: 0, or its `attempts` when
   * `ExecutionRetried` set it back (each retry of the execution gives a fresh retry budget, while
   * attempt numbers, and so task ids, keep growing).
   */
  retryBase?: number;
  /** A fork copied this node's result from its source execution (the node did not run here). */
  copiedFrom?: CopiedFrom;
}

/** A durable timer recorded in the stream and not fired yet. */
export interface PendingTimer {
  timerId: string;
  kind: TimerKind;
  /** The attempt it starts (`retry`) or completes (`delay`). */
  attempt: number;
  dueAt: string;
}

/** The error an execution failed with: the failing node's error, tagged with the node. */
export type ExecutionError = ExecutionFailed['data']['error'];

/** Before `ExecutionStarted`: nothing is known, not even the id. */
export interface PendingExecution {
  status: 'pending';
}

/** What every started execution holds, whatever its status. */
export interface ExecutionCore {
  executionId: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  graph: WorkflowGraph;
  input: unknown;
  trigger: ExecutionStarted['data']['trigger'];
  startedAt: string;
  /** The costed nodes' prices at start (`ExecutionStarted.costCaps`): what each attempt holds. */
  costCaps?: Readonly<Record<string, NodeCostCap>>;
  /** Set by `ExecutionDeleted`: the run is hidden from history lists, still readable. */
  deletedAt?: string;
  /** Sum of the succeeded attempts' costs; the terminal event's total once finished. */
  totalCost: number;
  /**
   * Bytes of every output its nodes' completions recorded (`NodeCompleted.outputBytes`, or the
   * reference's size or measured JSON for events without it): what the value budget counts.
   */
  valueBytes: number;
  /** Every node of the graph, `pending` until scheduled. */
  nodes: Readonly<Record<string, NodeState>>;
  /**
   * Nodes `awaiting_approval`, and nodes at work (`scheduled`, `running`, `retry_scheduled`):
   * counted as statuses change, so the execution's `running`/`awaiting_approval` status costs
   * nothing per event. The status is `awaiting_approval` while a gate waits and nothing works.
   */
  openGates: number;
  busyNodes: number;
  /** How many times `ExecutionRetried` ran the execution again (0: never). */
  retries: number;
  /** Set on a fork: the source execution and the node it ran again from. */
  forkedFrom?: { executionId: string; fromNodeId: string };
  /** Set on a child execution: the parent execution, its `sub_workflow` node attempt, the depth. */
  parent?: { executionId: string; nodeId: string; attempt: number; depth: number };
  /** The children this run's `sub_workflow` attempts started (`ChildExecutionStarted`), in order. */
  children?: readonly ChildExecutionView[];
  /** Built once at `ExecutionStarted` and shared by every later state. */
  topology: Topology;
  /**
   * What the durable agent loops recorded, per `agent_call` node (`AgentTurnCompleted`,
   * `AgentToolCalled`): only the keys, for idempotency; the records stay in the stream. Survives
   * a node's new attempts, which resume the same conversation. Absent until the first turn.
   */
  agentProgress?: Readonly<Record<string, AgentProgressKeys>>;
}

/** The keys of one node's recorded agent loop. */
export interface AgentProgressKeys {
  /** Turns recorded: steps 1..steps. */
  steps: number;
  /** Recorded tool calls as `<step>:<toolCallId>`. */
  toolCalls: readonly string[];
}

/** Started and accepting node results. */
export interface RunningExecution extends ExecutionCore {
  status: 'running';
}

/** A human gate waits for its decision and no other node is at work (other branches may still start). */
export interface AwaitingApprovalExecution extends ExecutionCore {
  status: 'awaiting_approval';
}

/** Every node succeeded or was skipped; `output` is final. */
export interface CompletedExecution extends ExecutionCore {
  status: 'completed';
  output: unknown;
  finishedAt: string;
}

/** A node failed with no retry left; later results are ignored. */
export interface FailedExecution extends ExecutionCore {
  status: 'failed';
  error: ExecutionError;
  finishedAt: string;
}

/** Stopped by `CancelExecution`; later results, timers and decisions change nothing. */
export interface CancelledExecution extends ExecutionCore {
  status: 'cancelled';
  finishedAt: string;
  cancellation: Pick<ExecutionCancelled['data'], 'by' | 'reason'>;
}

/** Any state after `ExecutionStarted`: the identity, graph and nodes are known. */
export type StartedExecution =
  RunningExecution | AwaitingApprovalExecution | CompletedExecution | FailedExecution | CancelledExecution;

/** What `evolve` folds and `decide` reads, keyed on `status`. */
export type ExecutionState = PendingExecution | StartedExecution;

/** A started execution that still accepts node results. */
export type ActiveExecution = RunningExecution | AwaitingApprovalExecution;

/** A started execution that never changes again (until `RetryExecution` reopens a failed one). */
export type FinishedExecution = CompletedExecution | FailedExecution | CancelledExecution;

/** The state of a stream with no events. */
export const initialState = (): ExecutionState => ({ status: 'pending' });

/** Shared by every never-scheduled node: immutable, so one object serves them all. */
export const PENDING_NODE: NodeState = Object.freeze({ status: 'pending', attempts: 0 });

/** True when the execution accepts node results (running, or waiting on a gate). */
export function isActive(state: ExecutionState): state is ActiveExecution {
  switch (state.status) {
    case 'running':
    case 'awaiting_approval':
      return true;
    case 'pending':
    case 'completed':
    case 'failed':
    case 'cancelled':
      return false;
    default:
      return assertNever(state);
  }
}

/** True for node statuses that let downstream nodes proceed (join semantics count both). */
export const isResolved = (status: NodeStatus): boolean => status === 'succeeded' || status === 'skipped';

/** The node's state, or undefined for an id that is not in the graph. */
export const nodeOf = (state: ExecutionCore, nodeId: string): NodeState | undefined =>
  Object.hasOwn(state.nodes, nodeId) ? state.nodes[nodeId] : undefined;

/** Compile-time exhaustiveness for switches over unions; throws if reached at run time. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
