/**
 * How a usage report is defined, once: the sums the projection's SQL and the in-memory reference
 * both produce (`UsageCounts`), and the row a client reads from them (`rowOf`).
 *
 * A run and everything it used count in the period (and UTC day) the run started. Grouped by
 * workflow or day, a group is its runs and all their counted nodes; grouped by agent or model, it
 * is the counted nodes of that agent (through the pinned graph's `agent_call` config) or model,
 * and the runs that had at least one of them. `totals` cover every run of the period.
 */
import type { UsageGroupBy, UsageRow } from '@flowstack/contracts';
import { usageFactOf, type RunOutcome, type UsageSourceEvent } from './usage-facts';

/** The additive figures of one group. */
export interface UsageCounts {
  key: string;
  runs: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  /** Sum of the ended runs' durations (ms). */
  durationSum: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

export function rowOf(c: UsageCounts): UsageRow {
  const ended = c.succeeded + c.failed + c.cancelled;
  return {
    key: c.key,
    runs: c.runs,
    succeeded: c.succeeded,
    failed: c.failed,
    cancelled: c.cancelled,
    successRate: ended === 0 ? null : Math.round((c.succeeded / ended) * 10_000) / 10_000,
    avgDurationMs: ended === 0 ? null : Math.round(c.durationSum / ended),
    calls: c.calls,
    inputTokens: c.inputTokens,
    outputTokens: c.outputTokens,
    cost: c.cost,
  };
}

const zero = (key: string): UsageCounts => ({
  key,
  runs: 0,
  succeeded: 0,
  failed: 0,
  cancelled: 0,
  durationSum: 0,
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cost: 0,
});

interface Run {
  workspaceId: string;
  workflowId: string;
  startedAt: string;
  nodeAgents: Record<string, string>;
  outcome?: { status: RunOutcome; durationMs: number };
  nodes: Map<string, { nodeId: string; model: string | null; inputTokens: number; outputTokens: number; cost: number }>;
}

/**
 * The report recomputed from the events themselves (no projection): what the projection must
 * answer for the same workspace, period and grouping. Groups ordered by key (code unit order).
 */
export function usageFromEvents(
  events: Iterable<UsageSourceEvent>,
  workspaceId: string,
  period: { from: string; to: string },
  groupBy: UsageGroupBy,
): { items: UsageCounts[]; totals: UsageCounts } {
  const runs = new Map<string, Run>();
  const orphans: Array<Extract<ReturnType<typeof usageFactOf>, { kind: 'node' }>> = [];
  for (const e of events) {
    const fact = usageFactOf(e);
    if (!fact) continue;
    if (fact.kind === 'started') {
      if (!runs.has(fact.executionId)) runs.set(fact.executionId, { ...fact, nodes: new Map() });
    } else if (fact.kind === 'node') {
      const run = runs.get(fact.executionId);
      if (run) run.nodes.set(fact.eventId, fact);
      else orphans.push(fact);
    } else {
      const run = runs.get(fact.executionId);
      if (run) run.outcome = { status: fact.status, durationMs: fact.durationMs };
    }
  }
  for (const n of orphans) runs.get(n.executionId)?.nodes.set(n.eventId, n);

  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  const inScope = [...runs.values()].filter((r) => {
    const t = Date.parse(r.startedAt);
    return r.workspaceId === workspaceId && t >= from && t < to;
  });

  const groups = new Map<string, UsageCounts>();
  const group = (key: string): UsageCounts => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = zero(key)));
    return g;
  };
  const addRun = (g: UsageCounts, r: Run): void => {
    g.runs += 1;
    if (r.outcome) {
      if (r.outcome.status === 'completed') g.succeeded += 1;
      else if (r.outcome.status === 'failed') g.failed += 1;
      else g.cancelled += 1;
      g.durationSum += r.outcome.durationMs;
    }
  };
  const addNode = (g: UsageCounts, n: { inputTokens: number; outputTokens: number; cost: number }): void => {
    g.calls += 1;
    g.inputTokens += n.inputTokens;
    g.outputTokens += n.outputTokens;
    g.cost += n.cost;
  };

  const totals = zero('');
  for (const r of inScope) {
    addRun(totals, r);
    for (const n of r.nodes.values()) addNode(totals, n);
    if (groupBy === 'workflow' || groupBy === 'day') {
      const g = group(groupBy === 'workflow' ? r.workflowId : new Date(r.startedAt).toISOString().slice(0, 10));
      addRun(g, r);
      for (const n of r.nodes.values()) addNode(g, n);
      continue;
    }
    const touched = new Set<string>();
    for (const n of r.nodes.values()) {
      const key = groupBy === 'agent' ? (Object.hasOwn(r.nodeAgents, n.nodeId) ? r.nodeAgents[n.nodeId] : null) : n.model;
      if (!key) continue;
      addNode(group(key), n);
      touched.add(key);
    }
    for (const key of touched) addRun(group(key), r);
  }
  const items = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { items, totals };
}
