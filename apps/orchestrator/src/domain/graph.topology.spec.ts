import { graphOf, node } from './execution.fixtures';
import { buildTopology, graphProblems } from './graph.topology';

describe('buildTopology', () => {
  it('orders nodes topologically, breaking ties by declaration order', () => {
    const graph = graphOf(
      [node('out', 'output'), node('in', 'input'), node('b', 'tool'), node('a', 'tool')],
      [
        ['in', 'a'],
        ['in', 'b'],
        ['a', 'out'],
        ['b', 'out'],
      ],
      'in',
    );
    const topology = buildTopology(graph);
    expect(topology.order).toStrictEqual(['in', 'b', 'a', 'out']);
    expect(topology.rank).toStrictEqual({ in: 0, b: 1, a: 2, out: 3 });
    expect(topology.incoming.out.map((edge) => edge.from)).toStrictEqual(['a', 'b']);
    expect(topology.outgoing.in.map((edge) => edge.to)).toStrictEqual(['a', 'b']);
    expect(topology.incoming.in).toStrictEqual([]);
  });
});

describe('graphProblems', () => {
  it('finds none in a walkable graph', () => {
    expect(graphProblems(graphOf([node('in', 'input'), node('a', 'tool')], [['in', 'a']]))).toStrictEqual([]);
  });

  it('finds duplicate and reserved ids, a missing entry point and dangling edges', () => {
    const graph = {
      nodes: [node('a', 'input'), node('a', 'tool'), node('__proto__', 'tool')],
      edges: [{ from: 'a', to: 'ghost' }],
      entry_point: 'start',
    };
    expect(graphProblems(graph)).toStrictEqual([
      "duplicate node id 'a'",
      "reserved node id '__proto__'",
      "entry point 'start' is not a node",
      'edge a -> ghost names an unknown node',
    ]);
  });

  it('finds a cycle', () => {
    const graph = graphOf(
      [node('in', 'input'), node('a', 'tool'), node('b', 'tool')],
      [
        ['in', 'a'],
        ['a', 'b'],
        ['b', 'a'],
      ],
    );
    expect(graphProblems(graph)).toStrictEqual(['cycle: an edge leads back into a']);
  });

  it('finds nodes the entry point cannot reach (they could never run, so the run could never end)', () => {
    const graph = graphOf(
      [node('in', 'input'), node('a', 'tool'), node('island', 'tool'), node('after', 'tool')],
      [
        ['in', 'a'],
        ['island', 'after'],
      ],
    );
    expect(graphProblems(graph)).toStrictEqual(['not reachable from the entry point: island, after']);
  });
});
