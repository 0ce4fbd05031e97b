/** A node's state in the monitor, folded from the execution's WebSocket messages. */
export type NodeStatus =
  'pending' | 'running' | 'retry_scheduled' | 'awaiting_approval' | 'completed' | 'failed' | 'skipped' | 'cancelled';

export type RunStatus = 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';

/** What a waiting `human_gate` asks, and who may answer (README, Cancel and human gates). */
export interface Approval {
  prompt: string;
  approverRole?: string;
  dueAt?: string;
  onTimeout?: string;
}

export interface Decision {
  decision: 'approved' | 'rejected';
  by: string;
  comment?: string;
  decidedAt?: string;
  timedOut?: boolean;
}

/** One line a sandboxed tool printed (`log` messages). */
export interface LogLine {
  stream: string;
  line: string;
}

export interface NodeRun {
  status: NodeStatus;
  attempt?: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  output?: unknown;
  error?: unknown;
  cost?: number;
  usage?: unknown;
  nextAttempt?: { attempt: number; dueAt: string };
  approval?: Approval;
  decision?: Decision;
  /** The agent's text as it streams (`agent_streaming`), until `step_complete` carries the final one. */
  streamed?: string;
  logs?: LogLine[];
}

export interface RunState {
  /** The last `seq` applied: what a reconnect sends as `fromSeq`. */
  seq: number;
  status: RunStatus;
  nodes: Record<string, NodeRun>;
  output?: unknown;
  error?: unknown;
  totalCost?: number;
  durationMs?: number;
  cancellation?: { by?: string; reason?: string };
  /** How many times the run was retried from failure (`execution_retried`'s `cycle`). */
  retries?: number;
  /** While the run waits for a slot of its workspace (`execution_queued`): its place, 1 = next. */
  queue?: { position: number; queuedAt?: string };
}

export const initialRunState = (): RunState => ({ seq: 0, status: 'pending', nodes: {} });

/** One message of `WS /ws/executions/{id}` (README, WebSocket). */
export interface LiveMessage {
  type: string;
  seq?: number;
  at?: string;
  nodeId?: string;
  attempt?: number;
  durationMs?: number;
  output?: unknown;
  error?: unknown;
  status?: string;
  totalCost?: number;
  cost?: number;
  usage?: unknown;
  willRetry?: boolean;
  nextAttempt?: { attempt: number; dueAt: string };
  prompt?: string;
  approverRole?: string;
  dueAt?: string;
  onTimeout?: string;
  decision?: 'approved' | 'rejected';
  by?: string;
  comment?: string;
  decidedAt?: string;
  timedOut?: boolean;
  reason?: string;
  chunk?: string;
  stream?: string;
  line?: string;
  cycle?: number;
  nodes?: string[];
  resetNodes?: string[];
  position?: number;
  queuedAt?: string;
}

/** Lines kept per node: a chatty tool must not grow the page without bound. */
export const MAX_LOG_LINES = 500;
/** Characters of streamed agent text kept per node (the final text arrives with `step_complete`). */
export const MAX_STREAMED_CHARS = 200_000;

const FINAL: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * Applies one message. A message at or below the last applied `seq` is a duplicate (a resume can
 * overlap) and changes nothing, so the state is the same whether or not the socket dropped.
 * `agent_streaming` and `log` carry no `seq` (they are never replayed) and only add to their node.
 */
export function applyMessage(state: RunState, m: LiveMessage): RunState {
  if (m.type === 'agent_streaming' || m.type === 'log') return applyEphemeral(state, m);
  if (state.seq === 0 && m.seq === undefined) return applyQueued(state, m);
  if (typeof m.seq !== 'number' || m.seq <= state.seq) return state;
  const next: RunState = { ...state, seq: m.seq };
  const node = (patch: Partial<NodeRun>): RunState => {
    if (!m.nodeId) return next;
    const before: NodeRun = next.nodes[m.nodeId] ?? { status: 'pending' };
    return { ...next, nodes: { ...next.nodes, [m.nodeId]: { ...before, ...patch } } };
  };
  switch (m.type) {
    case 'execution_start': {
      const { queue: _q, ...started } = next;
      return { ...started, status: 'running' };
    }
    case 'step_start':
      return node({ status: 'running', attempt: m.attempt, startedAt: m.at, nextAttempt: undefined, error: undefined });
    case 'step_complete':
      return node({
        status: 'completed',
        durationMs: m.durationMs,
        output: m.output,
        finishedAt: m.at,
        ...(m.cost === undefined ? {} : { cost: m.cost }),
        ...(m.usage === undefined ? {} : { usage: m.usage }),
      });
    case 'step_failed':
      return node(
        m.willRetry
          ? { status: 'retry_scheduled', error: m.error, nextAttempt: m.nextAttempt }
          : { status: 'failed', error: m.error, finishedAt: m.at },
      );
    case 'step_skipped':
      return node({ status: 'skipped', finishedAt: m.at });
    case 'approval_requested': {
      const withGate = node({
        status: 'awaiting_approval',
        approval: { prompt: m.prompt ?? '', approverRole: m.approverRole, dueAt: m.dueAt, onTimeout: m.onTimeout },
      });
      return { ...withGate, status: 'awaiting_approval' };
    }
    case 'approval_decided': {
      const decided = node({
        status: 'running',
        decision: {
          decision: m.decision ?? 'rejected',
          by: m.by ?? '',
          comment: m.comment,
          decidedAt: m.decidedAt,
          timedOut: m.timedOut,
        },
      });
      return FINAL.has(decided.status) ? decided : { ...decided, status: 'running' };
    }
    case 'execution_complete': {
      const status: RunStatus = m.status === 'failed' ? 'failed' : m.status === 'cancelled' ? 'cancelled' : 'completed';
      const nodes =
        status === 'cancelled'
          ? Object.fromEntries(
              Object.entries(next.nodes).map(([id, n]) => [
                id,
                isNodeOpen(n.status) ? { ...n, status: 'cancelled' as const } : n,
              ]),
            )
          : next.nodes;
      return {
        ...next,
        nodes,
        status,
        output: m.output,
        error: m.error,
        totalCost: m.totalCost,
        durationMs: m.durationMs,
        ...(status === 'cancelled' ? { cancellation: { by: m.by, reason: m.reason } } : {}),
      };
    }
    case 'execution_retried': {
      // Running again: the failed nodes are scheduled, what follows them waits; succeeded ones stay.
      const again = new Set([...(m.nodes ?? []), ...(m.resetNodes ?? [])]);
      const nodes = Object.fromEntries(
        Object.entries(next.nodes).map(([id, n]) => [
          id,
          again.has(id) ? { ...n, status: 'pending' as const, error: undefined, nextAttempt: undefined } : n,
        ]),
      );
      const { output: _o, error: _e, totalCost: _c, durationMs: _d, ...rest } = next;
      return { ...rest, nodes, status: 'running', retries: m.cycle ?? (next.retries ?? 0) + 1 };
    }
    default:
      return next;
  }
}

/**
 * Before its first event a run may be waiting in its workspace's queue: `execution_queued` gives
 * its place, and a seq-less `execution_complete` says it was cancelled there (it never started).
 */
function applyQueued(state: RunState, m: LiveMessage): RunState {
  if (m.type === 'execution_queued' && typeof m.position === 'number') {
    return { ...state, status: 'pending', queue: { position: m.position, queuedAt: m.queuedAt } };
  }
  if (m.type === 'execution_complete' && m.status === 'cancelled') {
    const { queue: _q, ...rest } = state;
    return { ...rest, status: 'cancelled', totalCost: 0, cancellation: { by: m.by, reason: m.reason } };
  }
  return state;
}

function applyEphemeral(state: RunState, m: LiveMessage): RunState {
  if (!m.nodeId) return state;
  const before: NodeRun = state.nodes[m.nodeId] ?? { status: 'running' };
  let patch: Partial<NodeRun>;
  if (m.type === 'agent_streaming') {
    if (typeof m.chunk !== 'string') return state;
    patch = { streamed: ((before.streamed ?? '') + m.chunk).slice(-MAX_STREAMED_CHARS) };
  } else {
    if (typeof m.line !== 'string') return state;
    patch = { logs: [...(before.logs ?? []), { stream: m.stream ?? 'stdout', line: m.line }].slice(-MAX_LOG_LINES) };
  }
  return { ...state, nodes: { ...state.nodes, [m.nodeId]: { ...before, ...patch } } };
}

const isNodeOpen = (s: NodeStatus): boolean =>
  s === 'pending' || s === 'running' || s === 'retry_scheduled' || s === 'awaiting_approval';

export const isFinished = (s: RunState): boolean => FINAL.has(s.status);

/** The gates waiting for a decision, in the order they asked. */
export const waitingGates = (s: RunState): Array<[string, Approval]> =>
  Object.entries(s.nodes).flatMap(([id, n]) =>
    n.status === 'awaiting_approval' && n.approval && !n.decision ? [[id, n.approval] as [string, Approval]] : [],
  );

/** The sum of the node costs seen so far (the final `totalCost` replaces it at the end). */
export const costSoFar = (s: RunState): number =>
  s.totalCost ?? Object.values(s.nodes).reduce((sum, n) => sum + (n.cost ?? 0), 0);
