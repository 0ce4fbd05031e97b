/**
 * The `human_gate` node's config and the events that open it. See README.md beside this file.
 */
import type { ApprovalDecision, ApprovalRequested, ApproverRole, GraphNode, TimerScheduled } from '@flowstack/contracts';

/** The weakest role that may decide a gate whose config names none. */
export const DEFAULT_GATE_APPROVER_ROLE: ApproverRole = 'editor';

/** What a gate with `timeoutSeconds` and no `onTimeout` decides when its timer fires. */
export const DEFAULT_ON_TIMEOUT: ApprovalDecision = 'rejected';

/** A gate's config as the decider reads it (the registry validated it on save). */
export interface GateConfig {
  prompt: string;
  approverRole: ApproverRole;
  timeoutSeconds?: number;
  onTimeout: ApprovalDecision;
}

const ROLES: ReadonlySet<string> = new Set(['viewer', 'editor', 'admin']);

/** `{ prompt, approverRole?, timeoutSeconds?, onTimeout? }` with its defaults filled in. */
export function gateConfigOf(node: GraphNode): GateConfig {
  const config = node.config ?? {};
  const role = typeof config.approverRole === 'string' && ROLES.has(config.approverRole) ? config.approverRole : undefined;
  const seconds = config.timeoutSeconds;
  return {
    prompt: typeof config.prompt === 'string' ? config.prompt : '',
    approverRole: (role as ApproverRole | undefined) ?? DEFAULT_GATE_APPROVER_ROLE,
    ...(typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? { timeoutSeconds: seconds } : {}),
    onTimeout: config.onTimeout === 'approved' ? 'approved' : DEFAULT_ON_TIMEOUT,
  };
}

/** The id of the timer that times out `attempt` of the gate `nodeId`. */
export const approvalTimerId = (nodeId: string, attempt: number): string => `approval:${nodeId}:${attempt}`;

/**
 * The gate's request for a decision, and with `timeoutSeconds` its `approval_timeout` timer (due
 * that many seconds after `now`).
 */
export function requestApproval(
  node: GraphNode,
  attempt: number,
  now: string,
): [ApprovalRequested] | [ApprovalRequested, TimerScheduled] {
  const { prompt, approverRole, timeoutSeconds, onTimeout } = gateConfigOf(node);
  const nodeId = node.id;
  if (timeoutSeconds === undefined) {
    return [{ type: 'ApprovalRequested', data: { nodeId, attempt, prompt, approverRole, requestedAt: now } }];
  }
  const timerId = approvalTimerId(nodeId, attempt);
  const dueAt = new Date(Date.parse(now) + Math.round(timeoutSeconds * 1000)).toISOString();
  return [
    { type: 'ApprovalRequested', data: { nodeId, attempt, prompt, approverRole, requestedAt: now, dueAt, timerId, onTimeout } },
    { type: 'TimerScheduled', data: { timerId, kind: 'approval_timeout', nodeId, attempt, dueAt } },
  ];
}

/** The output a decided gate completes with, which later nodes read as `nodes.<id>.output`. */
export interface GateOutput {
  decision: ApprovalDecision;
  comment: string | null;
  by: string;
}
