/**
 * The reference workflow: input -> (http A, http B in parallel) -> transform joining both
 * -> condition -> output (one branch of two).
 */
export function parallelJoinWorkflow(targetUrl: string) {
  return {
    name: 'Parallel fetch and route',
    description: 'two calls in parallel, joined, then routed',
    graph: {
      entry_point: 'start',
      input_schema: {
        type: 'object',
        required: ['customer', 'threshold'],
        properties: { customer: { type: 'string', minLength: 1 }, threshold: { type: 'number' } },
      },
      nodes: [
        { id: 'start', type: 'input', label: 'Input', config: {} },
        {
          id: 'fetch_a',
          type: 'tool',
          label: 'Fetch A',
          config: { tool: { kind: 'http', method: 'GET', url: `${targetUrl}/a?customer={{ input.customer }}` } },
        },
        {
          id: 'fetch_b',
          type: 'tool',
          label: 'Fetch B',
          config: {
            tool: {
              kind: 'http',
              method: 'POST',
              url: `${targetUrl}/b`,
              headers: { 'x-customer': '{{ input.customer }}' },
              body: { customer: '{{ input.customer }}', factor: 2 },
            },
          },
        },
        {
          id: 'join',
          type: 'transform',
          label: 'Join',
          config: {
            expression:
              '{ "total": nodes.fetch_a.output.body.score + nodes.fetch_b.output.body.score, "customer": input.customer }',
          },
        },
        {
          id: 'route',
          type: 'condition',
          label: 'Over threshold?',
          config: { expression: 'nodes.join.output.total > input.threshold' },
        },
        {
          id: 'high',
          type: 'output',
          label: 'High',
          config: { value: { verdict: 'high', total: '{{ nodes.join.output.total }}' } },
        },
        {
          id: 'low',
          type: 'output',
          label: 'Low',
          config: { value: { verdict: 'low', total: '{{ nodes.join.output.total }}' } },
        },
      ],
      edges: [
        { from: 'start', to: 'fetch_a' },
        { from: 'start', to: 'fetch_b' },
        { from: 'fetch_a', to: 'join' },
        { from: 'fetch_b', to: 'join' },
        { from: 'join', to: 'route' },
        { from: 'route', to: 'high', when: 'true' },
        { from: 'route', to: 'low', when: 'false' },
      ],
    },
  };
}
