import { GATE_ROUTES as GATE_DECISIONS, type FieldError, type WorkflowGraph } from '@flowstack/contracts';
import { edgeInWords } from './graph-edges.rules';

/** The `when` labels a `human_gate`'s outgoing edges may carry: its two decisions. */
export const GATE_ROUTES: readonly string[] = GATE_DECISIONS;

/**
 * `invalid_gate_edge`: an edge leaving a `human_gate` must say which decision takes it (`when`:
 * `approved` or `rejected`); an edge without one, or with another label, could never be taken.
 */
export function checkGateEdges(graph: WorkflowGraph, errors: FieldError[]): void {
  const gates = new Set(graph.nodes.filter((n) => n.type === 'human_gate').map((n) => n.id));
  if (gates.size === 0) return;
  graph.edges.forEach((edge, j) => {
    if (!gates.has(edge.from) || (edge.when !== undefined && GATE_ROUTES.includes(edge.when))) return;
    const label = edge.when === undefined ? 'no when' : `when "${edge.when}"`;
    errors.push({
      path: `edges[${j}].when`,
      rule: 'invalid_gate_edge',
      edge: { from: edge.from, to: edge.to },
      nodeId: edge.from,
      message: `${edgeInWords(edge, j)} leaves human_gate "${edge.from}" with ${label}; it needs when "approved" or "rejected"`,
    });
  });
}
