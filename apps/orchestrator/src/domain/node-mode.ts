import type { NodeMode, NodeType } from '@flowstack/contracts';

/**
 * Node types the orchestrator evaluates itself, in the same append, with no round trip: they do no
 * I/O and are bounded in time (ARCHITECTURE.md section 2, step 3).
 */
const INLINE_TYPES: ReadonlySet<NodeType> = new Set<NodeType>(['input', 'transform', 'condition', 'output', 'validation']);

/**
 * How a node of `type` runs: `inline` (evaluated by the orchestrator), `timer` (a `delay`: a
 * durable timer completes it), `gate` (a `human_gate`: a decision or its timeout completes it) or
 * `child` (a `sub_workflow`: a child execution completes it) or `remote` (a task on `WORK` for tool-runners). Unknown or future
 * types are remote: a runner that cannot handle a task fails it visibly, whereas a wrong inline
 * guess would have no evaluator at all.
 */
export const modeOf = (type: NodeType): NodeMode => {
  if (type === 'delay') return 'timer';
  if (type === 'sub_workflow') return 'child';
  if (type === 'human_gate') return 'gate';
  return INLINE_TYPES.has(type) ? 'inline' : 'remote';
};
