/**
 * Cancel and human-gate decision requests (`POST /executions/{id}/cancel`, `POST
 * /executions/{id}/approvals`): the HTTP bodies the gateway validates, and the RPC payloads it
 * sends to the orchestrator (`Rpc.executionControl`). Both answer with the execution's view.
 */
import { z } from 'zod';
import type { ApproverRole } from './execution-events';

/** Longest cancel reason and approval comment, in characters. */
export const MAX_CONTROL_TEXT = 2000;

/** `POST /api/v1/executions/{id}/cancel` body: `{ reason? }` (an empty body is fine). */
export const cancelExecutionSchema = z.strictObject({
  reason: z.string().trim().min(1).max(MAX_CONTROL_TEXT).optional(),
});
export type CancelExecutionRequest = z.infer<typeof cancelExecutionSchema>;

/** `POST /api/v1/executions/{id}/approvals` body: the decision for one waiting `human_gate`. */
export const decideApprovalSchema = z.strictObject({
  nodeId: z.string().min(1).max(128),
  decision: z.enum(['approved', 'rejected']),
  comment: z.string().max(MAX_CONTROL_TEXT).optional(),
});
export type DecideApprovalRequest = z.infer<typeof decideApprovalSchema>;

/**
 * `POST /api/v1/executions/{id}/retry` body: `{ reason? }` (an empty body is fine). Runs a failed
 * execution again from its unfinished nodes, in the same execution.
 */
export const retryExecutionSchema = z.strictObject({
  reason: z.string().trim().min(1).max(MAX_CONTROL_TEXT).optional(),
});
export type RetryExecutionRequest = z.infer<typeof retryExecutionSchema>;

/**
 * `POST /api/v1/executions/{id}/fork` body: the node to run again from, and optionally the input
 * the new execution runs with (default: the source's input; validated against the pinned
 * version's `input_schema`).
 */
export const forkExecutionSchema = z.strictObject({
  fromNodeId: z.string().min(1).max(128),
  input: z.unknown().optional(),
});
export type ForkExecutionRequest = z.infer<typeof forkExecutionSchema>;

/** `orchestrator.execution.retry`: the workspace and actor come from the request context. */
export interface RetryExecutionPayload extends RetryExecutionRequest {
  executionId: string;
}

/** `orchestrator.execution.fork`: the workspace and actor come from the request context. */
export interface ForkExecutionPayload extends ForkExecutionRequest {
  executionId: string;
}

/** What a fork answers (202): the new execution, its source, and the nodes whose results it copied. */
export interface ForkExecutionResult {
  executionId: string;
  status: string;
  forkedFrom: { executionId: string; fromNodeId: string };
  copiedNodes: string[];
}

/** `orchestrator.execution.cancel`: the workspace and actor come from the request context. */
export interface CancelExecutionPayload extends CancelExecutionRequest {
  executionId: string;
}

/** `orchestrator.execution.approval.decide`: the workspace, actor and role come from the request context. */
export interface DecideApprovalPayload extends DecideApprovalRequest {
  executionId: string;
}

/** The roles from weakest to strongest: a role satisfies every role at or before it. */
export const APPROVER_ROLES: readonly ApproverRole[] = ['viewer', 'editor', 'admin'];

/** Who may decide a gate whose config names no `approverRole`: editors and admins. */
export const DEFAULT_APPROVER_ROLE: ApproverRole = 'editor';

/** True when `role` is `required` or stronger (admin > editor > viewer); no role satisfies nothing. */
export const roleSatisfies = (role: string | undefined, required: ApproverRole): boolean => {
  const rank = APPROVER_ROLES.indexOf(role as ApproverRole);
  return rank >= 0 && rank >= APPROVER_ROLES.indexOf(required);
};

/** The body `control.cancel.<executionId>` carries. */
export interface CancelSignal {
  executionId: string;
  workspaceId: string;
  reason: string | null;
}
