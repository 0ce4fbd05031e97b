/**
 * Payloads and replies of the request-reply subjects in `Rpc`. The workspace and actor travel in
 * headers (`RequestContext`), never in these bodies.
 */
import type { Role } from './headers';
import type { WorkflowGraph } from './graph';
import type { ExecutionStatus, NodeError, NodeStatus } from './execution-events';
import type { ErrorBody } from './errors';

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
  /** When the credential stops being valid (seconds since the epoch): the token's `exp`. */
  expiresAt?: number;
  /** Set when the caller is an API key (then `userId` is its creator and `jti` the key id). */
  apiKeyId?: string;
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

/** One saved version in `GET /workflows/{id}/versions`: what it is, not its graph (fetch `/versions/{n}` for that). */
export interface WorkflowVersionSummary {
  version: number;
  name: string;
  description?: string;
  createdAt: string;
  /** The actor (user or API key) whose save made this version. */
  createdBy: string;
}

/** The body of `registry.workflow.versions.list`: the workflow and the list query. */
export interface WorkflowVersionsListPayload {
  workflowId: string;
  limit: number;
  /** Versions below this number (the previous page's `nextCursor`, parsed). */
  cursor?: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface StartExecutionPayload {
  workflowId: string;
  version?: number;
  input: unknown;
  /**
   * Start the execution under this id (a UUID) instead of a fresh one. Idempotent: when an
   * execution with this id already exists in the workspace, the answer is that execution and
   * nothing new starts (how a schedule's fire, whose id derives from (schedule, slot), can be
   * retried by any replica without a second run). Services only; the gateway never passes it on.
   */
  executionId?: string;
  /** `depth`: how many event triggers chained to this run (see `MAX_TRIGGER_DEPTH`); absent is 0. */
  trigger?: { type: 'manual' | 'api' | 'schedule' | 'webhook' | 'event' | 'sub_workflow'; by?: string; depth?: number };
}

/**
 * Starts one `orchestrator.execution.startBatch` request may carry (and the scheduler's default
 * claim size). One request of 1,000 starts them all within about 10 ms of each other; four of 250
 * at once queued behind each other's work in the orchestrator (W11: fire lateness p99 92 ms
 * against 240-580 ms).
 */
export const START_BATCH_MAX = 1000;

/**
 * `orchestrator.execution.startBatch`: many starts of the caller's workspace in one request (a
 * scheduler claim's fires). Each start names its own id (required, a UUID) and is idempotent as in
 * `StartExecutionPayload`; a start repeated in the batch is one execution. Services only.
 */
export interface StartExecutionBatchPayload {
  starts: Array<StartExecutionPayload & { executionId: string }>;
}

/**
 * The answer of one start of a batch, in the order of the request: started (or queued, or the
 * execution that already exists under the id), or refused with the error a single start would
 * have thrown (`error.code` says whether a retry may help: `unavailable` and `rate_limited` may).
 */
export type StartExecutionBatchItem =
  | { executionId: string; status: string; queue?: { position: number; queuedAt: string } }
  | { executionId: string; error: ErrorBody };

export interface StartExecutionBatchResult {
  results: StartExecutionBatchItem[];
}

export interface NodeView {
  status: NodeStatus;
  attempts: number;
  output?: unknown;
  error?: NodeError;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** While `retry_scheduled`: the attempt the node's retry timer starts, and when (ISO-8601). */
  nextAttempt?: { attempt: number; dueAt: string };
  /** While `awaiting_approval` (a `human_gate`): what it asks, who may decide, and its timeout if any. */
  approval?: {
    prompt: string;
    approverRole: 'viewer' | 'editor' | 'admin';
    requestedAt: string;
    dueAt?: string;
    onTimeout?: 'approved' | 'rejected';
  };
  /** A fork copied this node's result from another execution instead of running it. */
  copiedFrom?: { executionId: string; seq: number };
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
  /** Once `cancelled`: who cancelled (actor id) and why (`null` when no reason was given). */
  cancellation?: { by: string; reason: string | null };
  /** Once deleted from history (`DELETE /executions/{id}`): when. The run stays readable. */
  deletedAt?: string;
  /** How many times `POST /executions/{id}/retry` ran it again (absent: never). */
  retries?: number;
  /** A fork's source execution and the node it runs again from. */
  forkedFrom?: { executionId: string; fromNodeId: string };
  /** A child execution's parent: the execution, its `sub_workflow` node and attempt, and the nesting depth (1, 2, ...). */
  parent?: { executionId: string; nodeId: string; attempt: number; depth: number };
  /**
   * The child executions this run's `sub_workflow` nodes started, one per attempt, in start order
   * (absent: none). `status` is the child's as this run saw it end (`running` until then).
   */
  children?: ChildExecutionView[];
  /**
   * While `pending`: the run waits for a running slot of its workspace (per-workspace limit) at
   * `position` (1 = next to start), queued since `queuedAt`. Absent once it runs.
   */
  queue?: { position: number; queuedAt: string };
}

/** One child execution in its parent's view. */
export interface ChildExecutionView {
  nodeId: string;
  attempt: number;
  executionId: string;
  workflowId: string;
  workflowVersion: number;
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  startedAt: string;
}

export interface StoredEventView {
  seq: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

/** `orchestrator.deadLetter.list`: a page of the caller's workspace's dead letters, newest first. */
export interface DeadLetterListPayload {
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * A message the platform gave up on (a result that could not be recorded, a task that exhausted
 * its deliveries, an event the relay could not publish), parked instead of retried forever.
 */
export interface DeadLetterView {
  id: string;
  /** What parked it: `results`, `work` or `relay`. */
  source: 'results' | 'work' | 'relay';
  /** The JetStream stream (or the event store table, for the relay) the message came from. */
  stream: string;
  /** The consumer that gave up on it (or the relay's name). */
  consumer: string;
  /** Its sequence in the stream (the global position, for the relay). */
  sequence: number;
  subject: string;
  executionId?: string;
  taskId?: string;
  nodeId?: string;
  error: string;
  deliveries: number;
  /** Size of the whole message in bytes. */
  payloadBytes: number;
  /** The message's first bytes as text (bounded, so a page always fits one bus message). */
  payloadPrefix: string;
  recordedAt: string;
}

export interface DeadLetterPage extends Page<DeadLetterView> {
  /** How many dead letters the workspace has in all. */
  total: number;
}
