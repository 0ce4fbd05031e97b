import dagre from '@dagrejs/dagre';

/** The size a node takes on the canvas (FlowNode's box), for the layout's spacing. */
export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 64;

export interface LayoutNode {
  id: string;
}
export interface LayoutEdge {
  source: string;
  target: string;
}

/**
 * Left-to-right layered layout (dagre, Sugiyama style): each node's top-left position by id.
 * Edges naming unknown nodes are ignored; a graph with cycles is still laid out (dagre breaks them).
 */
export function layoutLeftToRight(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
): Map<string, { x: number; y: number }> {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 40, marginy: 40 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of edges) if (ids.has(e.source) && ids.has(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const out = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    // dagre gives centres; React Flow positions are top-left corners.
    out.set(n.id, p ? { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) } : { x: 0, y: 0 });
  }
  return out;
}
