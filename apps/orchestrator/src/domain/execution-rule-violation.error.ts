/**
 * Why a command was refused. Each code names a command that can never make sense against the
 * state it met, so repeating it unchanged fails the same way.
 *
 * - `execution_not_started`: a node result or decision for an execution with no `ExecutionStarted`.
 * - `unknown_node`: the command names a node that is not in the execution's pinned graph.
 * - `task_mismatch`: the task id is not `<executionId>:<nodeId>:<attempt>` of this execution.
 * - `invalid_graph`: `StartExecution` with a graph the scheduler cannot walk to the end
 *   (missing entry point, dangling edge, cycle, unreachable node, duplicate id).
 * - `execution_finished`: a cancel or a gate decision for a completed or failed execution (or a
 *   decision for a cancelled one).
 * - `not_awaiting_approval`: a gate decision for a node that is not a `human_gate` waiting for one
 *   (never requested, or decided already).
 * - `approver_role_required`: a gate decision by an actor whose role is weaker than the gate's
 *   approver role.
 * - `not_retryable`: a retry of an execution that is not `failed` (running, waiting on a gate,
 *   completed, or cancelled: a cancel is final, a fork carries on from it).
 * - `fork_node_not_reached`: a fork from a node the source execution never scheduled (its
 *   parents had not all finished there, or it was skipped), so there is nothing to run again from.
 * - `turn_out_of_order`: an agent turn whose step is not the next one of its node's conversation.
 * - `turn_not_recorded`: an agent tool call of a turn that was never recorded.
 */
export type ExecutionRuleCode =
  | 'execution_not_started'
  | 'unknown_node'
  | 'task_mismatch'
  | 'invalid_graph'
  | 'execution_finished'
  | 'not_awaiting_approval'
  | 'approver_role_required'
  | 'not_retryable'
  | 'fork_node_not_reached'
  | 'turn_out_of_order'
  | 'turn_not_recorded';

/**
 * Thrown by `decide` for a command that makes no sense (a result for an execution that never
 * started). Never retryable: the same command against the same stream fails the same way. An
 * "already done" command is not a violation: `decide` returns `[]` for it instead.
 */
export class ExecutionRuleViolation extends Error {
  /** Always false: a rule violation is a property of the command, not of the moment. */
  readonly retryable = false;

  constructor(
    readonly code: ExecutionRuleCode,
    message: string,
    /** Machine-readable context: the node id, the expected task id, the graph's problems. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ExecutionRuleViolation';
  }
}
