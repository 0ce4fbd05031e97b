/**
 * The orchestrator's execution domain: pure decide/evolve over the `execution-<id>` stream.
 * Handlers import from here, never from the files behind it.
 */
export type {
  CancelExecution,
  CompleteNode,
  CopiedNode,
  ForkOf,
  RetryExecution,
  DecideApproval,
  ExecutionCommand,
  ExecutionCommandType,
  FailNode,
  FireTimer,
  RecordChildStart,
  RecordHold,
  SettleChild,
  RecordAgentToolCall,
  RecordAgentTurn,
  StartExecution,
} from './execution.commands';
export { agentProgressOf } from './agent-progress.decider';
export { decide } from './execution.decider';
export { forkPlan, type RecordedResults } from './retry-execution.decider';
export { evolve, foldEvents } from './execution.evolve';
export {
  childDoneTimerId,
  linkedTimersOf,
  pendingInlineNodes,
  scheduledRemoteNodes,
  scopeOf,
  timersOf,
  type LinkedTimer,
  type TimerToArm,
} from './execution.queries';
export { MAX_SUB_WORKFLOW_DEPTH, childDepthOf } from './sub-workflow.decider';
export { childStartTimerId } from './execution.scheduling';
export { attemptTimeoutOf, backoffMs, retryPlan, retryPolicyOf, retryTimerId, type RetryPlan } from './retry.policy';
export { initialState, isActive } from './execution.state';
export type {
  ActiveExecution,
  AwaitingApprovalExecution,
  CancelledExecution,
  CompletedExecution,
  ExecutionCore,
  ExecutionError,
  ExecutionState,
  FailedExecution,
  FinishedExecution,
  NodeState,
  PendingExecution,
  RunningExecution,
  StartedExecution,
} from './execution.state';
export { toExecutionView } from './execution.view';
export { ExecutionRuleViolation } from './execution-rule-violation.error';
export type { ExecutionRuleCode } from './execution-rule-violation.error';
export type { Topology } from './graph.topology';
export { modeOf } from './node-mode';
export { DEFAULT_GATE_APPROVER_ROLE, DEFAULT_ON_TIMEOUT, approvalTimerId, gateConfigOf, type GateOutput } from './gate.rules';
export { DEFAULT_ROUTE, routeOf, takenEdges } from './routing';
