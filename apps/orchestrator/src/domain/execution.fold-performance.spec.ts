import type { ExecutionEvent, GraphEdge, GraphNode, WorkflowGraph } from '@flowstack/contracts';
import { decide } from './execution.decider';
import { foldEvents } from './execution.evolve';
import { completeNode, executionStarted, nodeCompleted, nodeScheduled, T0 } from './execution.fixtures';

// A sanity check, not a benchmark: it catches a fold that went quadratic (copying the whole
// `nodes` map per event took about 15 s for this stream), with a bound loose enough for slow CI.
describe('folding a long stream', () => {
  it('folds 10,000 events over a 5,000-node graph well within 2 s, and decides on the result', () => {
    const size = 5000;
    const nodes: GraphNode[] = Array.from({ length: size }, (_, i) => ({
      id: `n${i}`,
      type: i === 0 ? 'input' : 'tool',
    }));
    const edges: GraphEdge[] = nodes.slice(1).map((node, i) => ({ from: `n${i}`, to: node.id }));
    const graph: WorkflowGraph = { nodes, edges, entry_point: 'n0' };

    const events: ExecutionEvent[] = [executionStarted(graph)];
    for (let i = 0; i < size - 1; i++) {
      events.push(nodeScheduled(`n${i}`, i === 0 ? 'inline' : 'remote'), nodeCompleted(`n${i}`, i, { cost: 1 }));
    }
    events.push(nodeScheduled(`n${size - 1}`, 'remote'));
    expect(events).toHaveLength(2 * size);

    const began = performance.now();
    const state = foldEvents(events);
    const elapsed = performance.now() - began;

    expect(elapsed).toBeLessThan(2000);
    expect(state).toMatchObject({ status: 'running', totalCost: size - 1 });
    expect(decide(completeNode(`n${size - 1}`, 'last', { cost: 1 }), state)).toStrictEqual([
      nodeCompleted(`n${size - 1}`, 'last', { cost: 1 }),
      { type: 'ExecutionCompleted', data: { output: null, completedAt: T0, durationMs: 0, totalCost: size } },
    ]);
  });
});
