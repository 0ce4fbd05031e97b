import { diffGraphs, unionGraph } from './graph-diff';
import type { ApiGraph } from './graph-model';

const v1: ApiGraph = {
  entry_point: 'in',
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'check', type: 'condition', config: { expression: 'x > 1' } },
    { id: 'big', type: 'output', config: { value: 'big', note: { a: 1, b: 2 } } },
    { id: 'small', type: 'output', config: { value: 'small' } },
  ],
  edges: [
    { from: 'in', to: 'check' },
    { from: 'check', to: 'big', when: 'true' },
    { from: 'check', to: 'small', when: 'false' },
  ],
};

describe('version diff', () => {
  it('finds nothing between a graph and itself, whatever the key order', () => {
    const reordered: ApiGraph = {
      ...v1,
      nodes: v1.nodes.map((n) =>
        n.id === 'big' ? { config: { note: { b: 2, a: 1 }, value: 'big' }, type: n.type, id: n.id } : n,
      ),
    };
    const d = diffGraphs(v1, reordered);
    expect([...d.nodes]).toEqual([]);
    expect([...d.edges]).toEqual([]);
    expect(d.graphChanged).toBe(false);
  });

  it('marks added, removed and changed nodes and edges', () => {
    const v2: ApiGraph = {
      entry_point: 'in',
      input_schema: { type: 'object' },
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'check', type: 'condition', config: { expression: 'x > 10' } },
        { id: 'big', type: 'output', label: 'Big', config: { value: 'big', note: { a: 1, b: 2 } } },
        { id: 'log', type: 'transform', config: { expression: 'input' } },
      ],
      edges: [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'big', when: 'default' },
        { from: 'check', to: 'log', when: 'false' },
      ],
    };
    const d = diffGraphs(v1, v2);
    expect(Object.fromEntries(d.nodes)).toEqual({ check: 'changed', big: 'changed', log: 'added', small: 'removed' });
    expect(Object.fromEntries(d.edges)).toEqual({
      'check->big': 'changed',
      'check->log': 'added',
      'check->small': 'removed',
    });
    expect(d.graphChanged).toBe(true);

    const u = unionGraph(v1, v2);
    expect(u.nodes.map((n) => n.id).sort()).toEqual(['big', 'check', 'in', 'log', 'small']);
    expect(u.edges).toHaveLength(4);
    // The union shows the newer version of a node both have.
    expect(u.nodes.find((n) => n.id === 'check')!.config).toEqual({ expression: 'x > 10' });
  });
});
