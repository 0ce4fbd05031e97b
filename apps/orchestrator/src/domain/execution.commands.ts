/**
 * Commands the execution decider understands. Shaped like events (`{ type, data }`, Emmett style)
 * so handlers can log, trace and dedupe both the same way. Every time and id a decision needs
 * travels in the command: `decide` is re-run on every version conflict and must give the same
 * answer each time.
 *
 * Later commands join the union without touching these: `CancelExecution`, `ApproveGate`,
 * `RetryExecution`, `TimeOutNode`. `decide` switches on `type` with a `never`
 * check, so adding one is a compile error until it is handled.
 */
import type {
  AgentToolCalled,
  AgentTurnCompleted,
  ApprovalDecision,
  ExecutionStarted,
  NodeCostCap,
  NodeError,
  Role,
  TokenUsage,
  WorkflowGraph,
} from '@flowstack/contracts';

/** Begin an execution of a pinned workflow version. A no-op on an execution that already started. */
export interface StartExecution {
  type: 'StartExecution';
  data: {
    executionId: string;
    workspaceId: string;
    workflowId: string;
    workflowVersion: number;
    graph: WorkflowGraph;
    input: unknown;
    trigger: ExecutionStarted['data']['trigger'];
    /** The costed nodes' prices at start (`ExecutionStarted.costCaps`); absent or empty: nothing is held. */
    costCaps?: Record<string, NodeCostCap>;
    /** ISO-8601; becomes `startedAt` and the entry node's `scheduledAt`. */
    now: string;
    /**
     * A fork (`forkPlan`): the source, the node to run again from, and the node results to copy
     * instead of running them. Absent: an ordinary run from the entry point.
     */
    fork?: ForkOf;
    /** A child run started by a `sub_workflow` attempt: recorded as `ExecutionStarted.parentId`/`parent`. */
    parent?: { executionId: string; nodeId: string; attempt: number; depth: number };
  };
}

/** What a fork starts from: see `forkPlan`. */
export interface ForkOf {
  executionId: string;
  fromNodeId: string;
  copied: CopiedNode[];
}

/** One node result a fork copies from its source, with the source event's stream position. */
export type CopiedNode =
  | {
      nodeId: string;
      status: 'succeeded';
      seq: number;
      output: unknown;
      outputBytes?: number;
      startedAt: string;
      completedAt: string;
      durationMs: number;
    }
  | { nodeId: string; status: 'skipped'; seq: number; skippedAt: string };

/**
 * Run a failed execution again (`POST /executions/{id}/retry`): its unfinished nodes
 * start over, its succeeded and skipped nodes keep their outputs. Refused (`not_retryable`) on an
 * execution that is running, waiting on a gate, completed or cancelled.
 */
export interface RetryExecution {
  type: 'RetryExecution';
  data: {
    by: string;
    reason?: string;
    /** ISO-8601 time of the decision: `retriedAt` and the rescheduled nodes' `scheduledAt`. */
    now: string;
  };
}

/**
 * Record a node attempt's success (from a tool-runner result, or the orchestrator's own inline
 * evaluation) and schedule what it unlocks. A no-op for a stale attempt, a duplicate, or a
 * finished execution.
 */
export interface CompleteNode {
  type: 'CompleteNode';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    output: unknown;
    startedAt: string;
    completedAt: string;
    durationMs: number;
    /** Credits (micro-units) the attempt cost; 0 when absent. */
    cost?: number;
    /** Tokens an `agent_call` attempt used; recorded on `NodeCompleted` when given. */
    usage?: TokenUsage;
    /**
     * UTF-8 bytes of the output's JSON (a reference's `size` when stored out of band), measured
     * once where the claim check decides; recorded on `NodeCompleted`. Absent: not counted here
     * (the fold measures it).
     */
    outputBytes?: number;
    /**
     * The execution's value budget (`EXECUTION_VALUE_BUDGET_BYTES`), carried like a price: the
     * decider reads no configuration. With `outputBytes`, a completion that would take the
     * execution's recorded output bytes past it fails the node instead. Absent: no budget.
     */
    valueBudgetBytes?: number;
    /** ISO-8601 time of the decision: stamps skips and the execution's completion. */
    now: string;
  };
}

/**
 * Record a node attempt's failure. The node's retry policy decides: another attempt after a
 * durable timer (`NodeFailed {willRetry: true}` + `NodeRetryScheduled`), or the execution fails.
 * A no-op for a stale attempt, a duplicate, or a finished execution.
 */
export interface FailNode {
  type: 'FailNode';
  data: {
    nodeId: string;
    attempt: number;
    taskId: string;
    error: NodeError;
    startedAt?: string;
    failedAt: string;
    durationMs?: number;
    /** ISO-8601 time of the decision: stamps the execution's failure, and a retry's `dueAt` counts from it. */
    now: string;
    /** Credits the failed attempt spent anyway (an agent's turns); recorded on `NodeFailed`, counted in `totalCost`. */
    cost?: number;
    /** Tokens the failed attempt used; recorded on `NodeFailed`. */
    usage?: TokenUsage;
    /**
     * Uniform in [0, 1): the draw for the retry's jitter (`Math.random()` in the handler, so a
     * re-decision after a conflict may draw again: nothing was recorded yet). Absent: no jitter.
     */
    random?: number;
  };
}

/**
 * A durable timer is due (the timer service claimed it): a retry timer schedules the node's next
 * attempt, a delay timer completes the delay node. A no-op when the timer already fired, is not
 * the one the node waits on, or the execution finished.
 */
export interface FireTimer {
  type: 'FireTimer';
  data: {
    timerId: string;
    nodeId: string;
    /** ISO-8601 time of the firing: `TimerFired.firedAt`, and the new attempt's `scheduledAt`. */
    now: string;
  };
}

/**
 * Stop a running (or gate-waiting) execution: `ExecutionCancelled`, every unfinished node
 * `cancelled`. A no-op on a cancelled execution; refused (`execution_finished`) on a completed or
 * failed one.
 */
export interface CancelExecution {
  type: 'CancelExecution';
  data: {
    /** The actor's id (a user or API key); `system` for the platform itself. */
    by: string;
    reason?: string;
    /** ISO-8601 time of the decision: `cancelledAt`. */
    now: string;
  };
}

/**
 * A member decides a waiting `human_gate`. Refused when the node is not a gate waiting for a
 * decision (`not_awaiting_approval`, also for a second decision), when `role` is weaker than the
 * gate's approver role (`approver_role_required`), or on a finished execution (`execution_finished`).
 */
export interface DecideApproval {
  type: 'DecideApproval';
  data: {
    nodeId: string;
    decision: ApprovalDecision;
    /** The deciding actor's id. */
    by: string;
    /** The deciding actor's role in the workspace (from the request context); absent: no member. */
    role?: Role;
    comment?: string;
    /** ISO-8601 time of the decision: `decidedAt`, and the gate's `completedAt`. */
    now: string;
  };
}

/**
 * Billing answered the hold a costed node's scheduled attempt asked for (before its task goes
 * out). `held`: `NodeCostHeld`; `refused`: the node fails with `insufficient_credits` (not
 * retryable) and so does the execution. A no-op when the node no longer waits on that attempt,
 * the hold is recorded already, or the execution finished.
 */
export interface RecordHold {
  type: 'RecordHold';
  data: {
    nodeId: string;
    attempt: number;
    holdId: string;
    amount: number;
    outcome: 'held' | 'refused';
    /** What the workspace could still spend when billing answered. */
    available: number;
    /** ISO-8601 time of billing's answer. */
    now: string;
  };
}

/**
 * Record a finished LLM turn of an `agent_call` attempt (`AgentTurnCompleted`). A no-op for a step
 * already recorded, a superseded attempt or a finished execution; refused (`turn_out_of_order`)
 * for a step that skips one.
 */
export interface RecordAgentTurn {
  type: 'RecordAgentTurn';
  data: Omit<AgentTurnCompleted['data'], 'completedAt'> & { now: string };
}

/**
 * Record a finished tool call of an `agent_call` attempt (`AgentToolCalled`). A no-op for a call
 * already recorded, a superseded attempt or a finished execution; refused (`turn_not_recorded`)
 * for a call of a turn that was not recorded.
 */
export interface RecordAgentToolCall {
  type: 'RecordAgentToolCall';
  data: Omit<AgentToolCalled['data'], 'calledAt'> & { now: string };
}

/**
 * The sub-workflow service tried to start the child of a `sub_workflow` attempt (its `child_start`
 * timer fired): `started` records `TimerFired` and `ChildExecutionStarted` (the node is `running`);
 * `error` (e.g. `workflow_not_found`, `insufficient_credits`, `sub_workflow_depth_exceeded`,
 * `validation_failed`) records `TimerFired` and fails the attempt under its retry policy. A no-op
 * when the node no longer waits on that timer or the execution finished.
 */
export interface RecordChildStart {
  type: 'RecordChildStart';
  data: {
    nodeId: string;
    timerId: string;
    outcome: { started: { childExecutionId: string; workflowId: string; workflowVersion: number } } | { error: NodeError };
    now: string;
    /** Uniform in [0, 1): the retry jitter's draw, as in `FailNode`. */
    random?: number;
  };
}

/**
 * The child execution of a `sub_workflow` attempt ended (its `child_done` row fired): `completed`
 * completes the node with the child's output (cost 0: the child is billed as a run of its own) and
 * schedules what it unlocks; `failed` fails it with `child_failed` (retryable, so the policy may
 * start a new child), `cancelled` with `child_cancelled` (not retried). A no-op for an attempt the
 * node no longer waits on, a duplicate, or a finished execution.
 */
export interface SettleChild {
  type: 'SettleChild';
  data: {
    nodeId: string;
    attempt: number;
    childExecutionId: string;
    workflowId: string;
    workflowVersion: number;
    /** When the child started (its `startedAt`) and ended. */
    startedAt: string;
    finishedAt: string;
    outcome: 'completed' | 'failed' | 'cancelled';
    /** The child's output when `completed`. */
    output?: unknown;
    /** The child's error when `failed`. */
    error?: NodeError & { nodeId?: string };
    now: string;
    random?: number;
  };
}

/** Everything `decide` accepts. */
export type ExecutionCommand =
  | StartExecution
  | CompleteNode
  | FailNode
  | FireTimer
  | CancelExecution
  | DecideApproval
  | RecordHold
  | RetryExecution
  | RecordAgentTurn
  | RecordAgentToolCall
  | RecordChildStart
  | SettleChild;

/** The `type` tag of each command: what handlers log and metrics count. */
export type ExecutionCommandType = ExecutionCommand['type'];
