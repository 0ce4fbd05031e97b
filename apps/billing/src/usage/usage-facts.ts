/**
 * What the usage report counts, read from execution events: a run starting (its workflow and the
 * agents of its graph), a node completing with tokens or a cost, a run ending. Pure; the usage
 * projection stores these facts and `usageFromEvents` aggregates them in memory (the test's
 * reference). Fields are read defensively: a stored event of an older shape yields what it has.
 */
import { EXECUTION_CATEGORY } from '@flowstack/contracts';

/** The part of a stored event the usage facts need. */
export interface UsageSourceEvent {
  eventId: string;
  streamId: string;
  workspaceId: string;
  type: string;
  data: unknown;
}

export type RunOutcome = 'completed' | 'failed' | 'cancelled';

export type UsageFact =
  | {
      kind: 'started';
      executionId: string;
      workspaceId: string;
      workflowId: string;
      startedAt: string;
      /** `{ nodeId: agentId }` of the graph's `agent_call` nodes. */
      nodeAgents: Record<string, string>;
    }
  | {
      kind: 'node';
      eventId: string;
      executionId: string;
      workspaceId: string;
      nodeId: string;
      attempt: number;
      model: string | null;
      inputTokens: number;
      outputTokens: number;
      cost: number;
    }
  | { kind: 'ended'; executionId: string; status: RunOutcome; finishedAt: string; durationMs: number };

const PREFIX = `${EXECUTION_CATEGORY}-`;

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
/** A non-negative integer (counts and micro-credits), 0 for anything else. */
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);

function nodeAgentsOf(graph: unknown): Record<string, string> {
  const nodes = record(graph).nodes;
  const out: Record<string, string> = {};
  if (!Array.isArray(nodes)) return out;
  for (const n of nodes) {
    const node = record(n);
    const id = str(node.id);
    const agentId = str(record(node.config).agentId);
    if (node.type === 'agent_call' && id && agentId) out[id] = agentId;
  }
  return out;
}

/** The usage fact an event carries, or null (most events carry none). */
export function usageFactOf(e: UsageSourceEvent): UsageFact | null {
  if (!e.streamId.startsWith(PREFIX)) return null;
  const executionId = e.streamId.slice(PREFIX.length);
  const d = record(e.data);
  switch (e.type) {
    case 'ExecutionStarted': {
      const workflowId = str(d.workflowId);
      const startedAt = str(d.startedAt);
      if (!workflowId || !startedAt || Number.isNaN(Date.parse(startedAt))) return null;
      return {
        kind: 'started',
        executionId,
        workspaceId: e.workspaceId,
        workflowId,
        startedAt,
        nodeAgents: nodeAgentsOf(d.graph),
      };
    }
    case 'NodeCompleted': {
      const usage = record(d.usage);
      const inputTokens = count(usage.inputTokens);
      const outputTokens = count(usage.outputTokens);
      const cost = count(d.cost);
      const model = str(usage.model);
      const nodeId = str(d.nodeId);
      if (!nodeId || (inputTokens === 0 && outputTokens === 0 && cost === 0 && !model)) return null;
      return {
        kind: 'node',
        eventId: e.eventId,
        executionId,
        workspaceId: e.workspaceId,
        nodeId,
        attempt: count(d.attempt),
        model,
        inputTokens,
        outputTokens,
        cost,
      };
    }
    case 'ExecutionCompleted':
    case 'ExecutionFailed':
    case 'ExecutionCancelled': {
      const status: RunOutcome =
        e.type === 'ExecutionCompleted' ? 'completed' : e.type === 'ExecutionFailed' ? 'failed' : 'cancelled';
      const finishedAt = str(
        e.type === 'ExecutionCompleted' ? d.completedAt : e.type === 'ExecutionFailed' ? d.failedAt : d.cancelledAt,
      );
      if (!finishedAt || Number.isNaN(Date.parse(finishedAt))) return null;
      return { kind: 'ended', executionId, status, finishedAt, durationMs: count(d.durationMs) };
    }
    default:
      return null;
  }
}
