import type { GraphEdge, GraphNode, WorkflowGraph } from '@flowstack/contracts';

/**
 * Test graphs. The example is the canonical shape of ARCHITECTURE.md section 5:
 * `input -> (http A, http B in parallel) -> transform join -> condition -> output`.
 */
export function exampleGraph(): WorkflowGraph {
  return {
    entry_point: 'start',
    input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    nodes: [
      { id: 'start', type: 'input', config: {} },
      {
        id: 'fetch_a',
        type: 'tool',
        config: {
          tool: {
            kind: 'http',
            url: 'http://127.0.0.1:8080/a?city={{ $encodeUrlComponent(input.city) }}',
            method: 'GET',
            headers: { Accept: 'application/json', 'X-Run': '{{ execution.id }}' },
            timeoutMs: 5000,
          },
        },
      },
      {
        id: 'fetch_b',
        type: 'tool',
        config: { tool: { kind: 'http', url: 'http://127.0.0.1:8080/b', method: 'POST', body: { city: '{{ input.city }}' } } },
      },
      {
        id: 'join',
        type: 'transform',
        config: { expression: '{ "a": nodes.fetch_a.output.body.value, "b": nodes.fetch_b.output.body.value }' },
      },
      { id: 'check', type: 'condition', config: { expression: 'nodes.join.output.a > nodes.join.output.b' } },
      { id: 'report_a', type: 'output', config: { value: { winner: 'a', values: '{{ nodes.join.output }}' } } },
      { id: 'report_b', type: 'output', config: { value: 'b wins with {{ nodes.join.output.b }}' } },
    ],
    edges: [
      { from: 'start', to: 'fetch_a' },
      { from: 'start', to: 'fetch_b' },
      { from: 'fetch_a', to: 'join' },
      { from: 'fetch_b', to: 'join' },
      { from: 'join', to: 'check' },
      { from: 'check', to: 'report_a', when: 'true' },
      { from: 'check', to: 'report_b', when: 'default' },
    ],
  };
}

/** `input -> <node> -> output`: a minimal valid graph around one node under test. */
export function graphAround(node: GraphNode, extraEdges: GraphEdge[] = []): WorkflowGraph {
  return {
    entry_point: 'start',
    nodes: [{ id: 'start', type: 'input', config: {} }, node, { id: 'end', type: 'output', config: { value: 'done' } }],
    edges: [{ from: 'start', to: node.id }, { from: node.id, to: 'end' }, ...extraEdges],
  };
}

/** A straight chain of `count` transform nodes after an input node. */
export function chainGraph(count: number): WorkflowGraph {
  const nodes: GraphNode[] = [{ id: 'start', type: 'input', config: {} }];
  const edges: GraphEdge[] = [];
  for (let i = 0; i < count; i++) {
    nodes.push({ id: `n${i}`, type: 'transform', config: { expression: 'input' } });
    edges.push({ from: i === 0 ? 'start' : `n${i - 1}`, to: `n${i}` });
  }
  return { entry_point: 'start', nodes, edges };
}
