import type { ExecutionEvent, GraphEdge, GraphNode, WorkflowGraph } from '@flowstack/contracts';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { completeNode, executionStarted, nodeCompleted, nodeScheduled, T0 } from './execution.fixtures';

/** A line of `size` nodes, every one but the last completed: two events per node. */
function lineStream(size: number): ExecutionEvent[] {
  const nodes: GraphNode[] = Array.from({ length: size }, (_, i) => ({ id: `n${i}`, type: i === 0 ? 'input' : 'tool' }));
  const edges: GraphEdge[] = nodes.slice(1).map((node, i) => ({ from: `n${i}`, to: node.id }));
  const graph: WorkflowGraph = { nodes, edges, entry_point: 'n0' };
  const events: ExecutionEvent[] = [executionStarted(graph)];
  for (let i = 0; i < size - 1; i++) {
    events.push(nodeScheduled(`n${i}`, i === 0 ? 'inline' : 'remote'), nodeCompleted(`n${i}`, i, { cost: 1 }));
  }
  events.push(nodeScheduled(`n${size - 1}`, 'remote'));
  return events;
}

/** The fastest of a few folds, so one GC pause or a busy neighbour does not decide the figure. */
function fastestFoldMs(events: ExecutionEvent[]): number {
  let fastest = Infinity;
  for (let run = 0; run < 3; run++) {
    const began = performance.now();
    foldEvents(events);
    fastest = Math.min(fastest, performance.now() - began);
  }
  return fastest;
}

// A sanity check, not a benchmark: it catches a fold that went quadratic (copying the whole
// `nodes` map per event took about 15 s for the long stream). A wall-clock bound failed on a
// loaded CI host, so it compares two lengths in the same process: four times the events and
// nodes cost about six times the time here when the fold is linear, over twenty when quadratic.
describe('folding a long stream', () => {
  it('folds 10,000 events over a 5,000-node graph in time linear in its length, and decides on the result', () => {
    const size = 5000;
    const short = lineStream(size / 4);
    const long = lineStream(size);
    expect(long).toHaveLength(2 * size);
    fastestFoldMs(short); // warm-up: the first folds pay for compilation

    const ratio = fastestFoldMs(long) / fastestFoldMs(short);

    expect(ratio).toBeLessThan(12);
    const state = foldEvents(long);
    expect(state).toMatchObject({ status: 'running', totalCost: size - 1 });
    expect(decide(completeNode(`n${size - 1}`, 'last', { cost: 1 }), state)).toStrictEqual([
      nodeCompleted(`n${size - 1}`, 'last', { cost: 1 }),
      { type: 'ExecutionCompleted', data: { output: null, completedAt: T0, durationMs: 0, totalCost: size } },
    ]);
  });
});
