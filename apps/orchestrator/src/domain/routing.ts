/**
 * Which outgoing edges of a finished node are taken. `condition` nodes and `human_gate`s choose;
 * every other node takes all its outgoing edges (parallel fan-out).
 */
import type { GraphEdge, GraphNode } from '@flowstack/contracts';
import { conditionRoute } from '@flowstack/workflow';

/** The `when` label of the edge a condition falls back to when no label equals its route. */
export const DEFAULT_ROUTE = 'default';

/**
 * The route a condition's output selects, compared with edge `when` labels (booleans give
 * `'true'`/`'false'`, numbers their text, strings themselves...). One rule for the whole product,
 * owned by `@flowstack/workflow` (pure, no I/O) so the designer and the decider cannot drift.
 */
export const routeOf = conditionRoute;

/**
 * The outgoing edges of `node` that its `output` takes. For a condition: the edges whose `when`
 * equals `routeOf(output)`; if there are none, the `default` edges; if there are none either,
 * nothing (the whole downstream is skipped). An edge with no `when` leaving a condition is never
 * taken. For a human gate (output `{ decision }`): the edges whose `when` equals the decision
 * (`approved`/`rejected`), no fallback. For every other node: all of `edges`.
 */
export function takenEdges(node: GraphNode, output: unknown, edges: readonly GraphEdge[]): readonly GraphEdge[] {
  if (node.type === 'human_gate') {
    const decision = (output as { decision?: unknown } | null)?.decision;
    return edges.filter((edge) => edge.when === decision);
  }
  if (node.type !== 'condition') return edges;
  const route = routeOf(output);
  const matching = edges.filter((edge) => edge.when === route);
  return matching.length > 0 ? matching : edges.filter((edge) => edge.when === DEFAULT_ROUTE);
}
