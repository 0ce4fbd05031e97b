/**
 * Cancel and human-gate decisions: the parts of `decide` that a person, not a node result, drives.
 * Pure like the rest of the decider; `execution.decider.ts` dispatches to these.
 */
import type { ApprovalDecision, ExecutionEvent } from '@flowstack/contracts';
import { roleSatisfies } from '@flowstack/contracts';
import type { CancelExecution, DecideApproval } from './execution.commands';
import { ExecutionRuleViolation } from './execution-rule-violation.error';
import { isActive, nodeOf } from './execution.state';
import type { ActiveExecution, ExecutionState, NodeState, StartedExecution } from './execution.state';
import { advance, elapsedMs, expectedTaskId } from './execution.scheduling';
import type { GateOutput } from './gate.rules';

/** Node statuses a cancel ends: everything that has not succeeded, failed or been skipped. */
const UNFINISHED = new Set(['pending', 'scheduled', 'running', 'retry_scheduled', 'awaiting_approval']);

/**
 * `ExecutionCancelled` for a running or gate-waiting execution, naming every unfinished node (in
 * graph order); `[]` for one already cancelled (a second cancel changes nothing).
 *
 * @throws ExecutionRuleViolation `execution_finished` for a completed or failed execution,
 *   `execution_not_started` for one that never started.
 */
export function cancelExecution(command: CancelExecution, state: ExecutionState): ExecutionEvent[] {
  const started = mustBeStarted(command.type, state);
  if (started.status === 'cancelled') return [];
  if (!isActive(started)) {
    throw new ExecutionRuleViolation('execution_finished', `execution ${started.executionId} is ${started.status} already`, {
      status: started.status,
    });
  }
  const { by, reason, now } = command.data;
  const cancelledNodes = started.topology.order.filter((id) => UNFINISHED.has(started.nodes[id].status));
  return [
    {
      type: 'ExecutionCancelled',
      data: {
        by,
        reason: reason ?? null,
        cancelledAt: now,
        durationMs: elapsedMs(started.startedAt, now),
        totalCost: started.totalCost,
        cancelledNodes,
      },
    },
  ];
}

/**
 * A member's decision on a waiting gate: `ApprovalDecided`, the gate's `NodeCompleted` and what
 * its decision unlocks.
 *
 * @throws ExecutionRuleViolation `unknown_node`; `execution_finished` (completed, failed or
 *   cancelled); `not_awaiting_approval` (not a gate, not requested yet, or decided already);
 *   `approver_role_required` (the actor's role is weaker than the gate's `approverRole`).
 */
export function decideApproval(command: DecideApproval, state: ExecutionState): ExecutionEvent[] {
  const started = mustBeStarted(command.type, state);
  const { nodeId, decision, by, role, comment, now } = command.data;
  const node = nodeOf(started, nodeId);
  if (!node) {
    throw new ExecutionRuleViolation('unknown_node', `node '${nodeId}' is not in the graph of execution ${started.executionId}`, {
      nodeId,
    });
  }
  if (!isActive(started)) {
    throw new ExecutionRuleViolation('execution_finished', `execution ${started.executionId} is ${started.status} already`, {
      status: started.status,
    });
  }
  const approval = node.status === 'awaiting_approval' ? node.approval : undefined;
  if (!approval) {
    throw new ExecutionRuleViolation(
      'not_awaiting_approval',
      `node '${nodeId}' is not awaiting approval (it is ${node.status})`,
      {
        nodeId,
        status: node.status,
      },
    );
  }
  if (!roleSatisfies(role, approval.approverRole)) {
    throw new ExecutionRuleViolation(
      'approver_role_required',
      `deciding node '${nodeId}' needs the ${approval.approverRole} role or a stronger one (you are ${role ?? 'no member'})`,
      { nodeId, approverRole: approval.approverRole },
    );
  }
  return gateDecided(started, nodeId, node, decision, by, comment ?? null, now, false, role ? { role } : {});
}

/** The gate's `approval_timeout` fired: it decides its `onTimeout`, by `system`. */
export function approvalTimedOut(state: ActiveExecution, nodeId: string, now: string): ExecutionEvent[] {
  const node = state.nodes[nodeId];
  const decision = node.approval?.onTimeout ?? 'rejected';
  return gateDecided(state, nodeId, node, decision, 'system', null, now, true, {});
}

function gateDecided(
  state: ActiveExecution,
  nodeId: string,
  node: NodeState,
  decision: ApprovalDecision,
  by: string,
  comment: string | null,
  now: string,
  timedOut: boolean,
  actorRole: { role?: 'viewer' | 'editor' | 'admin' },
): ExecutionEvent[] {
  const attempt = node.attempts;
  const output: GateOutput = { decision, comment, by };
  const startedAt = node.approval?.requestedAt ?? node.scheduledAt ?? now;
  return [
    { type: 'ApprovalDecided', data: { nodeId, attempt, decision, by, ...actorRole, comment, decidedAt: now, timedOut } },
    {
      type: 'NodeCompleted',
      data: {
        nodeId,
        attempt,
        taskId: expectedTaskId(state.executionId, nodeId, attempt),
        output,
        startedAt,
        completedAt: now,
        durationMs: elapsedMs(startedAt, now),
        cost: 0,
      },
    },
    ...advance(state, { nodeId, output, cost: 0 }, now),
  ];
}

function mustBeStarted(type: string, state: ExecutionState): StartedExecution {
  if (state.status !== 'pending') return state;
  throw new ExecutionRuleViolation('execution_not_started', `${type} needs a started execution`);
}
