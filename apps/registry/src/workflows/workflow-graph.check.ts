import { FlowstackError, type CreateWorkflowRequest, type WorkflowGraph } from '@flowstack/contracts';
import { validateGraph } from '@flowstack/workflow';

/** A graph as the request schema lets it through: structurally sound, node types still unchecked. */
export type SubmittedGraph = CreateWorkflowRequest['graph'];

/**
 * Returns the graph once `validateGraph` accepts it. Throws `FlowstackError('invalid_graph')`
 * listing every violation, with paths rooted at the request body (`graph.nodes[2].id`); not
 * retryable, the graph has to change.
 */
export function checkedGraph(graph: SubmittedGraph): WorkflowGraph {
  // The request schema types `type` as any string so that the validator, not zod, reports an
  // unknown type with the node's id; until it has run, the narrower type is only an assumption.
  const candidate = graph as WorkflowGraph;
  const errors = validateGraph(candidate);
  if (errors.length > 0) {
    throw new FlowstackError(
      'invalid_graph',
      'workflow graph is invalid',
      errors.map((e) => ({ ...e, path: e.path ? `graph.${e.path}` : 'graph' })),
    );
  }
  return candidate;
}
