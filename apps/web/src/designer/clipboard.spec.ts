import { copySelection, pasteClip } from './clipboard';
import type { DesignEdge, DesignNode } from './graph-model';

const nodes: DesignNode[] = [
  { id: 'in', kind: 'input', position: { x: 0, y: 0 } },
  { id: 'cond', kind: 'condition', config: { expression: 'x > 1' }, position: { x: 200, y: 0 } },
  { id: 'output', kind: 'output', config: { value: 1 }, position: { x: 400, y: 0 } },
  { id: 'output_2', kind: 'output', position: { x: 400, y: 100 } },
];
const edges: DesignEdge[] = [
  { id: 'in->cond', source: 'in', target: 'cond' },
  { id: 'cond->output', source: 'cond', target: 'output', when: 'true' },
  { id: 'cond->output_2', source: 'cond', target: 'output_2', when: 'false' },
];

describe('designer clipboard', () => {
  it('copies the selected nodes with only the edges between them', () => {
    const clip = copySelection(nodes, edges, new Set(['cond', 'output']));
    expect(clip.nodes.map((n) => n.id)).toEqual(['cond', 'output']);
    expect(clip.edges).toEqual([{ id: 'cond->output', source: 'cond', target: 'output', when: 'true' }]);
  });

  it('pastes with fresh ids, moved, with internal edges re-pointed and configs copied', () => {
    const clip = copySelection(nodes, edges, new Set(['cond', 'output']));
    const pasted = pasteClip(clip, nodes, { x: 10, y: 20 });
    expect(pasted.nodes.map((n) => n.id)).toEqual(['condition', 'output_3']);
    expect(pasted.nodes[0]!.position).toEqual({ x: 210, y: 20 });
    expect(pasted.nodes[0]!.config).toEqual({ expression: 'x > 1' });
    expect(pasted.edges).toEqual([{ id: 'condition->output_3', source: 'condition', target: 'output_3', when: 'true' }]);
    // The clip is a copy: editing the pasted config leaves the original alone.
    (pasted.nodes[0]!.config as Record<string, unknown>).expression = 'changed';
    expect(nodes[1]!.config).toEqual({ expression: 'x > 1' });
  });

  it('pastes twice without id clashes', () => {
    const clip = copySelection(nodes, edges, new Set(['output']));
    const first = pasteClip(clip, nodes);
    const second = pasteClip(clip, [...nodes, ...first.nodes]);
    expect(first.nodes[0]!.id).toBe('output_3');
    expect(second.nodes[0]!.id).toBe('output_4');
  });
});
