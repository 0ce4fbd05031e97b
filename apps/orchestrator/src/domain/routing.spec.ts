import type { GraphEdge } from '@flowstack/contracts';
import { node } from './execution.fixtures';
import { modeOf } from './node-mode';
import { routeOf, takenEdges } from './routing';

describe('routeOf', () => {
  it.each([
    [true, 'true'],
    [false, 'false'],
    [3, '3'],
    [2.5, '2.5'],
    [-1, '-1'],
    [10n, '10'],
    ['gold', 'gold'],
    ['', ''],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ a: 1 }, '{"a":1}'],
    [[1, 'x'], '[1,"x"]'],
  ])('routes %p as %p', (value, route) => {
    expect(routeOf(value)).toBe(route);
  });
});

describe('takenEdges', () => {
  const yes: GraphEdge = { from: 'c', to: 'yes', when: 'true' };
  const no: GraphEdge = { from: 'c', to: 'no', when: 'false' };
  const fallback: GraphEdge = { from: 'c', to: 'other', when: 'default' };
  const unlabelled: GraphEdge = { from: 'c', to: 'loose' };

  it('takes every labelled edge that matches a condition’s route', () => {
    const alsoYes: GraphEdge = { from: 'c', to: 'audit', when: 'true' };
    expect(takenEdges(node('c', 'condition'), true, [yes, no, alsoYes, fallback])).toStrictEqual([yes, alsoYes]);
  });

  it('falls back to the default edges, and to none without one', () => {
    expect(takenEdges(node('c', 'condition'), 'maybe', [yes, no, fallback])).toStrictEqual([fallback]);
    expect(takenEdges(node('c', 'condition'), 'maybe', [yes, no])).toStrictEqual([]);
  });

  it('never takes an unlabelled edge out of a condition', () => {
    expect(takenEdges(node('c', 'condition'), true, [unlabelled, yes])).toStrictEqual([yes]);
  });

  it('takes the edges of a human gate whose when equals its decision, with no fallback', () => {
    const approved = { from: 'g', to: 'go', when: 'approved' };
    const rejected = { from: 'g', to: 'stop', when: 'rejected' };
    const fallback = { from: 'g', to: 'other', when: 'default' };
    const gate = node('g', 'human_gate');
    expect(takenEdges(gate, { decision: 'approved' }, [approved, rejected, fallback])).toStrictEqual([approved]);
    expect(takenEdges(gate, { decision: 'rejected' }, [approved, rejected, fallback])).toStrictEqual([rejected]);
    expect(takenEdges(gate, { decision: 'maybe' }, [approved, rejected, fallback])).toStrictEqual([]);
  });

  it('takes every edge of any other node, labels or not', () => {
    expect(takenEdges(node('c', 'transform'), false, [yes, unlabelled])).toStrictEqual([yes, unlabelled]);
  });
});

describe('modeOf', () => {
  it.each(['input', 'transform', 'condition', 'output', 'validation'] as const)('runs %s inline', (type) => {
    expect(modeOf(type)).toBe('inline');
  });

  it.each(['tool', 'agent_call'] as const)('runs %s remotely', (type) => {
    expect(modeOf(type)).toBe('remote');
  });

  it('runs a sub_workflow as a child execution', () => {
    expect(modeOf('sub_workflow')).toBe('child');
  });

  it('waits on a human_gate for its decision', () => {
    expect(modeOf('human_gate')).toBe('gate');
  });

  it('runs delay on a durable timer', () => {
    expect(modeOf('delay')).toBe('timer');
  });
});
