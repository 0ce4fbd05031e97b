import type { FieldError, WorkflowGraph } from '@flowstack/contracts';
import { edgeInWords } from './graph-edges.rules';
import type { NodeIssues } from './node-issue';

/** Longest `human_gate` timeout: one year, in seconds. */
export const MAX_GATE_TIMEOUT_SECONDS = 366 * 24 * 3600;

/** The `when` labels a `human_gate`'s outgoing edges may carry: its two decisions. */
export const GATE_ROUTES: readonly string[] = ['approved', 'rejected'];

const ROLES = ['viewer', 'editor', 'admin'];

/**
 * `human_gate` config: `{ prompt, approverRole?, timeoutSeconds?, onTimeout? }`. `prompt` is a
 * non-empty string; `approverRole` one of the roles; `timeoutSeconds` a number from 0 to a year;
 * `onTimeout` (`approved`/`rejected`) only with `timeoutSeconds`.
 */
export function checkGateConfig(fields: Record<string, unknown>, issues: NodeIssues): void {
  const { prompt, approverRole, timeoutSeconds, onTimeout } = fields;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    issues.add('config.prompt', 'needs config.prompt, the question the approver answers (a non-empty string)');
  } else if (prompt.length > 4000) {
    issues.add('config.prompt', 'config.prompt must be at most 4000 characters');
  }
  if (approverRole !== undefined && (typeof approverRole !== 'string' || !ROLES.includes(approverRole))) {
    issues.add('config.approverRole', `config.approverRole must be one of ${ROLES.join(', ')}`);
  }
  if (timeoutSeconds !== undefined) {
    const ok = typeof timeoutSeconds === 'number' && Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0;
    if (!ok || timeoutSeconds > MAX_GATE_TIMEOUT_SECONDS) {
      issues.add('config.timeoutSeconds', `config.timeoutSeconds must be a number from 0 to ${MAX_GATE_TIMEOUT_SECONDS}`);
    }
  }
  if (onTimeout !== undefined) {
    if (typeof onTimeout !== 'string' || !GATE_ROUTES.includes(onTimeout)) {
      issues.add('config.onTimeout', `config.onTimeout must be one of ${GATE_ROUTES.join(', ')}`);
    } else if (timeoutSeconds === undefined) {
      issues.add('config.onTimeout', 'config.onTimeout needs config.timeoutSeconds (without a timeout the gate waits forever)');
    }
  }
}

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
