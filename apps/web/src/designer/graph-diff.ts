import { edgeId, type ApiGraph } from './graph-model';

export type DiffMark = 'added' | 'removed' | 'changed';

/** What changed from `before` to `after`, by node id and by edge id (`from->to`). Unchanged items are absent. */
export interface GraphDiff {
  nodes: Map<string, DiffMark>;
  edges: Map<string, DiffMark>;
  /** The entry point or the input schema changed. */
  graphChanged: boolean;
}

/** JSON with object keys sorted, so key order never counts as a change. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

const nodeKey = (n: ApiGraph['nodes'][number]): string => stable({ type: n.type, label: n.label, config: n.config ?? {} });

export function diffGraphs(before: ApiGraph, after: ApiGraph): GraphDiff {
  const nodes = new Map<string, DiffMark>();
  const edges = new Map<string, DiffMark>();
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.id, n]));
  for (const [id, n] of newNodes) {
    const o = oldNodes.get(id);
    if (!o) nodes.set(id, 'added');
    else if (nodeKey(o) !== nodeKey(n)) nodes.set(id, 'changed');
  }
  for (const id of oldNodes.keys()) if (!newNodes.has(id)) nodes.set(id, 'removed');

  const oldEdges = new Map(before.edges.map((e) => [edgeId(e.from, e.to), e]));
  const newEdges = new Map(after.edges.map((e) => [edgeId(e.from, e.to), e]));
  for (const [id, e] of newEdges) {
    const o = oldEdges.get(id);
    if (!o) edges.set(id, 'added');
    else if ((o.when ?? '') !== (e.when ?? '')) edges.set(id, 'changed');
  }
  for (const id of oldEdges.keys()) if (!newEdges.has(id)) edges.set(id, 'removed');

  return {
    nodes,
    edges,
    graphChanged:
      before.entry_point !== after.entry_point || stable(before.input_schema ?? null) !== stable(after.input_schema ?? null),
  };
}

/**
 * One graph holding both versions, to draw the diff on: `after`'s nodes and edges plus what
 * `before` had and `after` dropped (each removed edge's ends are in it, as nodes of either version).
 */
export function unionGraph(before: ApiGraph, after: ApiGraph): ApiGraph {
  const ids = new Set(after.nodes.map((n) => n.id));
  const edgeIds = new Set(after.edges.map((e) => edgeId(e.from, e.to)));
  return {
    ...after,
    nodes: [...after.nodes, ...before.nodes.filter((n) => !ids.has(n.id))],
    edges: [...after.edges, ...before.edges.filter((e) => !edgeIds.has(edgeId(e.from, e.to)))],
  };
}
