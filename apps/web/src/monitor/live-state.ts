/** A node's state in the monitor, folded from the execution's WebSocket messages. */
export type NodeStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export interface NodeRun {
  status: NodeStatus;
  attempt?: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  output?: unknown;
  error?: unknown;
}

export interface RunState {
  /** The last `seq` applied: what a reconnect sends as `fromSeq`. */
  seq: number;
  status: 'pending' | 'running' | 'completed' | 'failed';
  nodes: Record<string, NodeRun>;
  output?: unknown;
  error?: unknown;
  totalCost?: number;
  durationMs?: number;
}

export const initialRunState = (): RunState => ({ seq: 0, status: 'pending', nodes: {} });

/** One message of `WS /ws/executions/{id}` (README, WebSocket). */
export interface LiveMessage {
  type: string;
  seq: number;
  at?: string;
  nodeId?: string;
  attempt?: number;
  durationMs?: number;
  output?: unknown;
  error?: unknown;
  status?: string;
  totalCost?: number;
}

/**
 * Applies one message. A message at or below the last applied `seq` is a duplicate (a resume can
 * overlap) and changes nothing, so the state is the same whether or not the socket dropped.
 */
export function applyMessage(state: RunState, m: LiveMessage): RunState {
  if (typeof m.seq !== 'number' || m.seq <= state.seq) return state;
  const next: RunState = { ...state, seq: m.seq };
  const node = (patch: NodeRun): RunState => {
    if (!m.nodeId) return next;
    return { ...next, nodes: { ...next.nodes, [m.nodeId]: { ...next.nodes[m.nodeId], ...patch } } };
  };
  switch (m.type) {
    case 'execution_start':
      return { ...next, status: 'running' };
    case 'step_start':
      return node({ status: 'running', attempt: m.attempt, startedAt: m.at });
    case 'step_complete':
      return node({ status: 'completed', durationMs: m.durationMs, output: m.output, finishedAt: m.at });
    case 'step_failed':
      return node({ status: 'failed', error: m.error, finishedAt: m.at });
    case 'step_skipped':
      return node({ status: 'skipped', finishedAt: m.at });
    case 'execution_complete':
      return {
        ...next,
        status: m.status === 'failed' ? 'failed' : 'completed',
        output: m.output,
        error: m.error,
        totalCost: m.totalCost,
        durationMs: m.durationMs,
      };
    default:
      return next;
  }
}

export const isFinished = (s: RunState): boolean => s.status === 'completed' || s.status === 'failed';
