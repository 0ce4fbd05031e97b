import type { ApiClient } from '../e2e/api-client';

/**
 * `FLOWSTACK_FAULTS=full` (what `npm run test:faults` sets) runs each fault test at the size its
 * issue names (50 runs, 30 kills ...); without it `npm test` runs the short version of each.
 */
export const FULL = process.env.FLOWSTACK_FAULTS === 'full';

/** `full` in the opt-in run, `short` in `npm test`. */
export const scale = (full: number, short: number): number => (FULL ? full : short);

export interface EventItem {
  type: string;
  seq: number;
  data: { nodeId?: string; attempt?: number; willRetry?: boolean; delayMs?: number; [key: string]: unknown };
}

/** A random whole number in [min, max]. */
export const between = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

/** Every event of an execution, all pages. */
export async function eventsOf(client: ApiClient, executionId: string): Promise<EventItem[]> {
  const items: EventItem[] = [];
  let cursor: string | undefined;
  for (;;) {
    const res = await client.get(
      `/api/v1/executions/${executionId}/events${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`events of ${executionId} answered ${res.status}`);
    items.push(...(res.body.items as EventItem[]));
    cursor = res.body.nextCursor ?? undefined;
    if (!cursor) return items;
  }
}

/**
 * What "ended exactly once" means in the event log: one terminal event (of `terminal`) and no
 * other, no `NodeCompleted` twice for a node, and stream positions 1..n without a gap or repeat.
 * Answers the problems found (empty when none) so a test can report them all at once.
 */
export function endedOnceProblems(executionId: string, events: EventItem[], terminal = 'ExecutionCompleted'): string[] {
  const problems: string[] = [];
  const terminals = events.filter((e) => ['ExecutionCompleted', 'ExecutionFailed', 'ExecutionCancelled'].includes(e.type));
  if (terminals.length !== 1 || terminals[0].type !== terminal) {
    const detail = terminals.map((e) => (e.type === 'ExecutionFailed' ? `${e.type} ${JSON.stringify(e.data)}` : e.type));
    problems.push(`${executionId}: terminal events ${JSON.stringify(detail)}`);
  }
  const completed = new Map<string, number>();
  for (const e of events.filter((x) => x.type === 'NodeCompleted')) {
    completed.set(e.data.nodeId!, (completed.get(e.data.nodeId!) ?? 0) + 1);
  }
  for (const [nodeId, n] of completed) if (n > 1) problems.push(`${executionId}: NodeCompleted ${nodeId} x${n}`);
  const seqs = events.map((e) => e.seq);
  if (seqs.some((s, i) => s !== i + 1)) problems.push(`${executionId}: positions not 1..n`);
  return problems;
}

/** The last lines each service printed, for a failure message. */
export function serviceTails(services: Map<string, { output(): string }>, lines = 30): string {
  return [...services.entries()].map(([name, p]) => `--- ${name}\n${p.output().split('\n').slice(-lines).join('\n')}`).join('\n');
}

/**
 * The fault tests' workflow: `in -> first -> wait (a delay) -> second -> out`, each step an http
 * tool POSTing `{ run: input.run }` to `<upstreamUrl>/step`, so every run makes two upstream
 * calls around a durable timer. `retry` is the steps' retry policy, if any.
 */
export function twoStepGraph(upstreamUrl: string, delaySeconds: number, retry?: Record<string, unknown>) {
  const step = (id: string) => ({
    id,
    type: 'tool',
    config: {
      tool: { kind: 'http', method: 'POST', url: `${upstreamUrl}/step`, body: { run: '{{ input.run }}' } },
      ...(retry ? { retry } : {}),
    },
  });
  return {
    entry_point: 'in',
    nodes: [
      { id: 'in', type: 'input' },
      step('first'),
      { id: 'wait', type: 'delay', config: { seconds: delaySeconds } },
      step('second'),
      { id: 'out', type: 'output', config: { value: '{{ nodes.second.output.body }}' } },
    ],
    edges: [
      { from: 'in', to: 'first' },
      { from: 'first', to: 'wait' },
      { from: 'wait', to: 'second' },
      { from: 'second', to: 'out' },
    ],
  };
}
