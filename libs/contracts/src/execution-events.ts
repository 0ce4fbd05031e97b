/**
 * Events of the stream `execution-<executionId>`, owned by the orchestrator. Each stored event also
 * carries `schemaVersion` (1 for all of these); a breaking change makes a new type or an upcaster,
 * an additive one an optional field (so streams recorded before it still fold).
 *
 * Times are ISO-8601 strings and come from the command (the decider never reads the clock).
 */
import type { WorkflowGraph } from './graph';
import type { TokenUsage } from './llm';
import type { AgentToolCalled, AgentTurnCompleted } from './agent-progress';

export interface NodeError {
  /** e.g. `http_status`, `timeout`, `expression_error`, `network_error`, `invalid_config`. */
  code: string;
  message: string;
  retryable?: boolean;
  details?: unknown;
}

export interface ExecutionStarted {
  type: 'ExecutionStarted';
  data: {
    executionId: string;
    workspaceId: string;
    workflowId: string;
    workflowVersion: number;
    /** The pinned graph: the stream is self-contained, later registry edits never change a run. */
    graph: WorkflowGraph;
    input: unknown;
    startedAt: string;
    /** `depth`: event triggers chained to this run (absent: 0). */
    trigger: { type: 'manual' | 'api' | 'schedule' | 'webhook' | 'event' | 'sub_workflow'; by?: string; depth?: number };
    /**
     * The prices of the nodes that can cost money, snapshotted when the run started (so a price
     * change applies to runs started after it): each attempt of such a node holds `maxCost`
     * credits before it is dispatched. Nodes absent here cost nothing and need no hold. Optional
     * (added in schemaVersion 1): streams recorded before it hold nothing.
     */
    costCaps?: Record<string, NodeCostCap>;
    /**
     * Set on a fork (`POST /executions/{id}/fork`): the execution it was forked from and the node it
     * runs again from. The copied nodes' `NodeCompleted`/`NodeSkipped` (with `copiedFrom`) follow
     * right after this event. Optional (absent on ordinary runs).
     */
    forkedFrom?: { executionId: string; fromNodeId: string };
    /**
     * Set on a child execution, started by a `sub_workflow` node of another execution of the same
     * workspace: the parent's id. Optional (absent on top-level runs).
     */
    parentId?: string;
    /**
     * With `parentId`: the parent's node and attempt that started this child, and the nesting depth
     * (1 for a child of a top-level run). The child's end reports back to that node attempt.
     */
    parent?: { nodeId: string; attempt: number; depth: number };
  };
}

/** What one attempt of a costed node may cost (micro-credits), fixed at the execution's start. */
export interface NodeCostCap {
  /** The hold taken before each attempt is dispatched: the attempt's maximum cost. */
  maxCost: number;
  /** A fixed price added to the attempt's reported cost when it succeeds (a priced tool); 0 when absent. */
  price?: number;
}

/**
 * Credits were held for a costed node's attempt (billing's `CreditsHeld` with the same `holdId`)
 * before its task was dispatched; recorded in the same append as the `NodeScheduled` it follows.
 * The attempt's `NodeCompleted` is charged against the hold (the rest released), a `NodeFailed` or
 * the end of the execution releases it. A refused hold records no such event: the node fails
 * with `insufficient_credits` instead.
 */
export interface NodeCostHeld {
  type: 'NodeCostHeld';
  data: {
    nodeId: string;
    attempt: number;
    /** The attempt's task id: the same attempt always asks for the same hold. */
    holdId: string;
    amount: number;
    heldAt: string;
  };
}

/**
 * Where a fork's copied node result comes from: the source execution and the stream position
 * (`seq`) of the source's `NodeCompleted` / `NodeSkipped` that recorded it.
 */
export interface CopiedFrom {
  executionId: string;
  seq: number;
}

/**
 * How a node attempt runs: `inline`, `remote`, `timer` (`delay`), `gate` (`human_gate`), or
 * `child` (`sub_workflow`: a `child_start` timer starts a child execution, whose end completes
 * or fails the attempt).
 */
export type NodeMode = 'inline' | 'remote' | 'timer' | 'gate' | 'child';

/** A node begins an attempt. `mode: 'inline'` nodes are evaluated by the orchestrator itself. */
export interface NodeScheduled {
  type: 'NodeScheduled';
  data: {
    nodeId: string;
    attempt: number;
    /** `<executionId>:<nodeId>:<attempt>`; the WORK message id and the key results carry back. */
    taskId: string;
    /**
     * `inline`: evaluated by the orchestrator in the same append; `remote`: a task on WORK;
     * `timer`: a `delay` node, completed by its durable timer (`TimerScheduled`, `TimerFired`);
     * `gate`: a `human_gate`, completed by a decision (`ApprovalRequested`, `ApprovalDecided`).
     */
    mode: NodeMode;
    scheduledAt: string;
  };
}

export interface NodeCompleted {
  type: 'NodeCompleted';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    output: unknown;
    startedAt: string;
    completedAt: string;
    durationMs: number;
    /** Cost in credits (micro-units); 0 for nodes that cost nothing. */
    cost: number;
    /** Tokens an `agent_call` node used (every turn of the attempt) and the model that answered. Optional. */
    usage?: TokenUsage;
    /**
     * UTF-8 bytes of the output's JSON (for an output stored out of band, its reference's `size`):
     * what the execution's value budget counts. Optional (added in schemaVersion 1): events
     * recorded before it count by the reference's size, or by measuring the output.
     */
    outputBytes?: number;
    /**
     * Set when the node did not run in this execution: a fork copied its output from another one
     * (`attempt` is then 0 and `cost` 0: nothing ran, nothing is charged again). Optional.
     */
    copiedFrom?: CopiedFrom;
  };
}

export interface NodeFailed {
  type: 'NodeFailed';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    error: NodeError;
    startedAt?: string;
    failedAt: string;
    durationMs?: number;
    /** True when the node's retry policy runs it again: a `NodeRetryScheduled` follows. */
    willRetry: boolean;
    /**
     * Credits the failed attempt spent anyway (an agent's LLM turns, a failed call's tokens);
     * counted in the execution's `totalCost`. Optional: absent when nothing was spent.
     */
    cost?: number;
    /** Tokens the failed attempt used. Optional. */
    usage?: TokenUsage;
    /**
     * With `willRetry`: the attempt that will run next and when (ISO-8601), as the
     * `NodeRetryScheduled` that follows says. Optional (absent before retry policies existed).
     */
    nextAttempt?: { attempt: number; dueAt: string };
  };
}

/**
 * A failed attempt will be retried: a durable timer `timerId` fires at `dueAt` and schedules
 * attempt `attempt` (the failed attempt's number + 1: the number of the attempt that will run).
 */
export interface NodeRetryScheduled {
  type: 'NodeRetryScheduled';
  data: { nodeId: string; attempt: number; timerId: string; dueAt: string; delayMs: number };
}

/**
 * A durable timer `timerId` fires at `dueAt`: a `delay` node's wait, a `human_gate`'s
 * `timeoutSeconds` (`approval_timeout`: the gate then decides its `onTimeout`), or a node's
 * schedule-to-close timeout (`schedule_to_close`, recorded with its first attempt: if the node has
 * not succeeded by then, across all its attempts and retry waits, it fails with `timeout`).
 */
export interface TimerScheduled {
  type: 'TimerScheduled';
  data: {
    timerId: string;
    kind: 'delay' | 'approval_timeout' | 'schedule_to_close' | 'child_start';
    nodeId: string;
    attempt: number;
    dueAt: string;
  };
}

/**
 * A durable timer fired (recorded once: a second firing of the same timer appends nothing). A
 * `retry` timer is followed by the new attempt's `NodeScheduled`, a `delay` timer by the delay
 * node's `NodeCompleted`.
 */
export interface TimerFired {
  type: 'TimerFired';
  data: { timerId: string; kind: TimerKind; nodeId: string; attempt: number; dueAt: string; firedAt: string };
}

/** What a durable timer does when it fires. */
export type TimerKind =
  | 'retry'
  | 'delay'
  | 'approval_timeout'
  | 'schedule_to_close'
  /** A `sub_workflow` attempt's child is to be started (due at once; recorded as `TimerScheduled`). */
  | 'child_start'
  /** Row-only (never in an event): a child ended, report to the parent's node attempt. */
  | 'child_done'
  /** Row-only (never in an event): the parent was cancelled, cancel this child. */
  | 'parent_cancelled';

/**
 * A `sub_workflow` node's attempt started its child execution `childExecutionId` (an id derived
 * from parent, node and attempt, so a restart never starts two) of the pinned workflow version.
 * The child's `ExecutionStarted` names this execution as `parentId`; its end completes the node
 * (output: the child's output) or fails it (`child_failed`, retried by the node's policy with a
 * new child; `child_cancelled`, not retried).
 */
export interface ChildExecutionStarted {
  type: 'ChildExecutionStarted';
  data: {
    nodeId: string;
    attempt: number;
    childExecutionId: string;
    workflowId: string;
    workflowVersion: number;
    startedAt: string;
  };
}

/** The node is on a branch that a condition did not take (or all its parents were skipped). */
export interface NodeSkipped {
  type: 'NodeSkipped';
  /** `copiedFrom`: a fork copied the skip from its source execution (optional). */
  data: { nodeId: string; skippedAt: string; copiedFrom?: CopiedFrom };
}

/**
 * A failed execution runs again (`POST /executions/{id}/retry`) by actor `by`: it is
 * `running` again, its succeeded and skipped nodes keep their outputs (they never run again), and
 * every other node starts over. `nodes` are the ones scheduled again at once (their next attempt,
 * whose `NodeScheduled` follows in the same append), `resetNodes` those set back to `pending` to run
 * when their parents succeed. Each node starts a fresh retry budget. `cycle` counts the retries
 * (1 for the first); the execution ends once more per cycle (`ExecutionCompleted`, `-Failed` or
 * `-Cancelled`).
 */
export interface ExecutionRetried {
  type: 'ExecutionRetried';
  data: {
    by: string;
    /** The caller's reason, `null` when none was given. */
    reason: string | null;
    retriedAt: string;
    previousStatus: 'failed';
    cycle: number;
    nodes: string[];
    resetNodes: string[];
  };
}

export interface ExecutionCompleted {
  type: 'ExecutionCompleted';
  data: { output: unknown; completedAt: string; durationMs: number; totalCost: number };
}

export interface ExecutionFailed {
  type: 'ExecutionFailed';
  data: { error: NodeError & { nodeId?: string }; failedAt: string; durationMs: number; totalCost: number };
}

/** What a human gate's decision can be; also the `when` label of the edges it takes. */
export type ApprovalDecision = 'approved' | 'rejected';

/** The workspace roles, weakest first: a gate's `approverRole` is satisfied by it or a stronger role. */
export type ApproverRole = 'viewer' | 'editor' | 'admin';

/**
 * A `human_gate` waits for a decision (`POST /executions/{id}/approvals`). `approverRole` is the
 * weakest role that may decide (the config's, or `editor` when it has none). With the config's
 * `timeoutSeconds`, `dueAt` and `timerId` name the `approval_timeout` timer that decides
 * `onTimeout` (recorded as `TimerScheduled` right after this event).
 */
export interface ApprovalRequested {
  type: 'ApprovalRequested';
  data: {
    nodeId: string;
    attempt: number;
    prompt: string;
    approverRole: ApproverRole;
    requestedAt: string;
    dueAt?: string;
    timerId?: string;
    onTimeout?: ApprovalDecision;
  };
}

/**
 * A gate was decided: by a member (`by` = their actor id) or by its timeout (`by: 'system'`,
 * `timedOut: true`, the config's `onTimeout`). The gate's `NodeCompleted` follows with output
 * `{ decision, comment, by }`, and its outgoing edges whose `when` equals `decision` are taken.
 */
export interface ApprovalDecided {
  type: 'ApprovalDecided';
  data: {
    nodeId: string;
    attempt: number;
    decision: ApprovalDecision;
    by: string;
    /** The actor's role when a member decided. */
    role?: ApproverRole;
    comment: string | null;
    decidedAt: string;
    timedOut: boolean;
  };
}

/**
 * The execution was cancelled (`POST /executions/{id}/cancel`). Every node not yet finished
 * (pending, scheduled, running, retry_scheduled, awaiting_approval) is `cancelled` and listed in
 * `cancelledNodes`; pending timers fire into nothing; results that arrive later are ignored. The
 * orchestrator also publishes `control.cancel.<executionId>` so tool-runners abort the running
 * attempts.
 */
export interface ExecutionCancelled {
  type: 'ExecutionCancelled';
  data: {
    by: string;
    reason: string | null;
    cancelledAt: string;
    durationMs: number;
    totalCost: number;
    cancelledNodes: string[];
  };
}

/**
 * The run was deleted from history (`DELETE /api/v1/executions/{id}`) by actor `by`: lists hide
 * it, `GET /executions/{id}` still answers with `deletedAt`. Nothing else changes: no event of the
 * stream is ever removed.
 */
export interface ExecutionDeleted {
  type: 'ExecutionDeleted';
  data: { by: string; deletedAt: string };
}

export type ExecutionEvent =
  | ExecutionStarted
  | NodeScheduled
  | NodeCostHeld
  | NodeCompleted
  | NodeFailed
  | NodeRetryScheduled
  | TimerScheduled
  | TimerFired
  | NodeSkipped
  | ApprovalRequested
  | ApprovalDecided
  | ExecutionCompleted
  | ExecutionFailed
  | ExecutionCancelled
  | ExecutionDeleted
  | ExecutionRetried
  | AgentTurnCompleted
  | AgentToolCalled
  | ChildExecutionStarted;

export type ExecutionEventType = ExecutionEvent['type'];

export const executionStreamId = (executionId: string): string => `execution-${executionId}`;
export const EXECUTION_CATEGORY = 'execution';

export type ExecutionStatus = 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
/** `retry_scheduled`: an attempt failed and a durable timer will start the next one. */
export type NodeStatus =
  | 'pending'
  | 'scheduled'
  | 'running'
  | 'retry_scheduled'
  | 'succeeded'
  | 'failed'
  | 'skipped'
  | 'awaiting_approval'
  | 'cancelled';
