import { edgeId, nextNodeId, type DesignEdge, type DesignNode } from './graph-model';

/** What copy keeps: the selected nodes and the edges between two of them (never half an edge). */
export interface Clip {
  nodes: DesignNode[];
  edges: DesignEdge[];
}

export function copySelection(nodes: readonly DesignNode[], edges: readonly DesignEdge[], selected: ReadonlySet<string>): Clip {
  const picked = nodes.filter((n) => selected.has(n.id));
  const ids = new Set(picked.map((n) => n.id));
  return {
    nodes: picked.map((n) => structuredClone(n)),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e })),
  };
}

/**
 * The clip's nodes with fresh ids (free among `taken` and each other), moved by `offset`, and its
 * edges re-pointed at the new ids. A pasted `input` becomes a second input, which the server refuses
 * on save with a message on that node: the designer does not second-guess it.
 */
export function pasteClip(
  clip: Clip,
  taken: ReadonlyArray<{ id: string }>,
  offset: { x: number; y: number } = { x: 40, y: 40 },
): { nodes: DesignNode[]; edges: DesignEdge[]; idMap: Map<string, string> } {
  const used: Array<{ id: string }> = [...taken];
  const idMap = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = nextNodeId(n.kind, used);
    used.push({ id });
    idMap.set(n.id, id);
    return {
      ...structuredClone(n),
      id,
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    };
  });
  const edges = clip.edges.flatMap((e) => {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) return [];
    return [{ id: edgeId(source, target), source, target, ...(e.when ? { when: e.when } : {}) }];
  });
  return { nodes, edges, idMap };
}
