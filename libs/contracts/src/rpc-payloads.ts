/**
 * Payloads and replies of the request-reply subjects in `Rpc`. The workspace and actor travel in
 * headers (`RequestContext`), never in these bodies.
 */
import type { Role } from './headers';
import type { WorkflowGraph } from './graph';
import type { ExecutionStatus, NodeError, NodeStatus } from './execution-events';

export interface UserView {
  id: string;
  email: string;
  name?: string;
}
export interface WorkspaceView {
  id: string;
  name: string;
  role?: Role;
}

export interface AuthResult {
  token: string;
  user: UserView;
  workspace?: WorkspaceView;
  workspaces?: WorkspaceView[];
}

/** `identity.auth.resolve`: a bearer token plus the requested workspace (optional). */
export interface ResolveRequest {
  token: string;
  workspaceId?: string;
}
export interface ResolvedPrincipal {
  userId: string;
  workspaceId: string;
  role: Role;
  jti: string;
}

export interface WorkflowView {
  id: string;
  name: string;
  description?: string;
  version: number;
  graph: WorkflowGraph;
  createdAt: string;
  updatedAt: string;
}

export interface WorkflowVersionView {
  workflowId: string;
  version: number;
  graph: WorkflowGraph;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface StartExecutionPayload {
  workflowId: string;
  version?: number;
  input: unknown;
  trigger?: { type: 'manual' | 'api' | 'schedule' | 'webhook' | 'event'; by?: string };
}

export interface NodeView {
  status: NodeStatus;
  attempts: number;
  output?: unknown;
  error?: NodeError;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
}

export interface ExecutionView {
  id: string;
  workflowId: string;
  workflowVersion: number;
  status: ExecutionStatus;
  input: unknown;
  output: unknown;
  error?: NodeError & { nodeId?: string };
  nodes: Record<string, NodeView>;
  totalCost: number;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
}

export interface StoredEventView {
  seq: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
}
