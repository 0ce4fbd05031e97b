import type { FieldError, GraphEdge, WorkflowGraph } from '@flowstack/contracts';

/** Node types whose outgoing edges are picked by `when` (a human gate routes approved/rejected). */
export const ROUTING_NODE_TYPES: ReadonlySet<string> = new Set(['condition', 'human_gate']);

/** What the edge rules leave for the topology rules. */
export interface CheckedEdges {
  /** True when some edge names an unknown node: cycle and reachability checks would mislead. */
  dangling: boolean;
  /** Edges between two known, distinct nodes, without repeats: the graph the topology sees. */
  usable: Array<{ index: number; from: number; to: number }>;
  /** Per node index: incoming edges from anywhere but itself, dangling sources included (that
   * node was meant to have a parent, so it is no extra entry point). */
  incoming: Int32Array;
}

export const edgeInWords = (edge: GraphEdge, index: number): string => `edge ${index} (${edge.from} -> ${edge.to})`;

/** Edge-level rules: dangling ends, self loops, repeats, `when` on non-routing sources. */
export function checkEdges(graph: WorkflowGraph, indexById: ReadonlyMap<string, number>, errors: FieldError[]): CheckedEdges {
  const result: CheckedEdges = { dangling: false, usable: [], incoming: new Int32Array(graph.nodes.length) };
  const seen = new Map<string, number>();
  graph.edges.forEach((edge, j) => {
    const words = edgeInWords(edge, j);
    const ref = { from: edge.from, to: edge.to };
    const from = indexById.get(edge.from);
    const to = indexById.get(edge.to);
    let usable = true;
    if (from === undefined) {
      errors.push({
        path: `edges[${j}].from`,
        rule: 'dangling_edge',
        edge: ref,
        message: `${words} starts at unknown node "${edge.from}"`,
      });
      usable = false;
    }
    if (to === undefined) {
      errors.push({
        path: `edges[${j}].to`,
        rule: 'dangling_edge',
        edge: ref,
        message: `${words} points to unknown node "${edge.to}"`,
      });
      usable = false;
    }
    result.dangling ||= !usable;
    if (edge.from === edge.to) {
      errors.push({
        path: `edges[${j}]`,
        rule: 'self_loop',
        edge: ref,
        ...(from === undefined ? {} : { nodeId: edge.from }),
        message: `${words} connects node "${edge.from}" to itself`,
      });
      usable = false;
    } else if (to !== undefined) {
      result.incoming[to] += 1;
    }
    // Two edges to one target with different `when` labels are two routes, not a repeat.
    const key = JSON.stringify([edge.from, edge.to, edge.when ?? null]);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, j);
    } else {
      errors.push({ path: `edges[${j}]`, rule: 'duplicate_edge', edge: ref, message: `${words} repeats edge ${first}` });
      usable = false;
    }
    if (edge.when !== undefined && from !== undefined) {
      const source = graph.nodes[from];
      if (!ROUTING_NODE_TYPES.has(source.type)) {
        errors.push({
          path: `edges[${j}].when`,
          rule: 'when_on_non_condition_edge',
          edge: ref,
          nodeId: edge.from,
          message: `${words} has when "${edge.when}" but its source "${edge.from}" is a ${source.type} node; only condition nodes route on when`,
        });
      }
    }
    if (usable && from !== undefined && to !== undefined) result.usable.push({ index: j, from, to });
  });
  return result;
}
