import { layoutLeftToRight, NODE_HEIGHT } from './layout';

describe('auto-layout', () => {
  it('lays a branching graph out left to right with siblings apart', () => {
    const nodes = ['in', 'call', 'ok', 'yes', 'no'].map((id) => ({ id }));
    const edges = [
      { source: 'in', target: 'call' },
      { source: 'call', target: 'ok' },
      { source: 'ok', target: 'yes' },
      { source: 'ok', target: 'no' },
    ];
    const p = layoutLeftToRight(nodes, edges);
    const at = (id: string) => p.get(id)!;
    expect(at('in').x).toBeLessThan(at('call').x);
    expect(at('call').x).toBeLessThan(at('ok').x);
    expect(at('ok').x).toBeLessThan(at('yes').x);
    expect(at('yes').x).toBe(at('no').x);
    expect(Math.abs(at('yes').y - at('no').y)).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it('places every node even with cycles and dangling edges', () => {
    const p = layoutLeftToRight(
      [{ id: 'a' }, { id: 'b' }],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'a' },
        { source: 'a', target: 'ghost' },
      ],
    );
    expect([...p.keys()].sort()).toEqual(['a', 'b']);
  });
});
