import { defaultWhen, fromApiGraph, issuesByTarget, nextNodeId, toApiGraph, type ApiGraph, type Design } from './graph-model';

const graph: ApiGraph = {
  entry_point: 'in',
  input_schema: { type: 'object' },
  nodes: [
    { id: 'in', type: 'input' },
    { id: 'call', type: 'tool', config: { tool: { kind: 'http', url: 'http://x' } } },
    { id: 'ok', type: 'condition', label: 'ok?', config: { expression: 'true' } },
    { id: 'yes', type: 'output', config: { value: 1 } },
    { id: 'no', type: 'output', config: { value: 2 } },
  ],
  edges: [
    { from: 'in', to: 'call' },
    { from: 'call', to: 'ok' },
    { from: 'ok', to: 'yes', when: 'true' },
    { from: 'ok', to: 'no', when: 'false' },
  ],
};

describe('graph model', () => {
  it('round-trips a stored graph through the designer unchanged', () => {
    expect(toApiGraph(fromApiGraph(graph))).toEqual(graph);
  });

  it('lays nodes out left to right from the entry point', () => {
    const d = fromApiGraph(graph);
    const x = (id: string) => d.nodes.find((n) => n.id === id)!.position.x;
    expect(x('in')).toBeLessThan(x('call'));
    expect(x('call')).toBeLessThan(x('ok'));
    expect(x('yes')).toBe(x('no'));
    const y = (id: string) => d.nodes.find((n) => n.id === id)!.position.y;
    expect(y('yes')).not.toBe(y('no'));
  });

  it('takes the input node as the entry point', () => {
    const d: Design = {
      nodes: [
        { id: 'out', kind: 'output', position: { x: 0, y: 0 } },
        { id: 'start', kind: 'input', position: { x: 0, y: 0 } },
      ],
      edges: [{ id: 'start->out', source: 'start', target: 'out' }],
    };
    expect(toApiGraph(d).entry_point).toBe('start');
  });

  it('names new nodes after their kind without clashing', () => {
    expect(nextNodeId('tool', [])).toBe('tool');
    expect(nextNodeId('tool', [{ id: 'tool' }, { id: 'tool_2' }])).toBe('tool_3');
  });

  it('labels edges out of a condition true, false, then default; others get none', () => {
    const d = fromApiGraph({ ...graph, edges: graph.edges.slice(0, 2) });
    expect(defaultWhen(d, 'ok')).toBe('true');
    d.edges.push({ id: 'ok->yes', source: 'ok', target: 'yes', when: 'true' });
    expect(defaultWhen(d, 'ok')).toBe('false');
    d.edges.push({ id: 'ok->no', source: 'ok', target: 'no', when: 'false' });
    expect(defaultWhen(d, 'ok')).toBe('default');
    expect(defaultWhen(d, 'call')).toBeUndefined();
  });

  it('sorts server issues onto the nodes and edges they name', () => {
    const by = issuesByTarget([
      { path: 'nodes[1].config.tool.url', message: 'needs url', nodeId: 'call' },
      { path: 'nodes[1].config.tool.method', message: 'bad method', nodeId: 'call' },
      { path: 'edges[2]', message: 'dangling', edge: { from: 'ok', to: 'gone' } },
      { path: 'entry_point', message: 'missing' },
    ]);
    expect(by.nodes.get('call')).toEqual(['needs url', 'bad method']);
    expect(by.edges.get('ok->gone')).toEqual(['dangling']);
    expect(by.graph).toEqual(['entry_point: missing']);
  });

  it('keeps every runnable node type and the decisions on edges out of a gate through a round trip', () => {
    const graph: ApiGraph = {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'check', type: 'validation', config: { schema: { type: 'object' } } },
        { id: 'ask', type: 'agent_call', config: { agentId: 'a1', prompt: '{{ input }}' } },
        { id: 'wait', type: 'delay', config: { seconds: 5 } },
        { id: 'child', type: 'sub_workflow', config: { workflowId: 'w2', input: {} } },
        { id: 'gate', type: 'human_gate', config: { prompt: 'ok?', approverRole: 'admin' } },
        { id: 'yes', type: 'output', config: { value: 1 } },
        { id: 'no', type: 'output', config: { value: 0 } },
      ],
      edges: [
        { from: 'in', to: 'check' },
        { from: 'check', to: 'ask' },
        { from: 'ask', to: 'wait' },
        { from: 'wait', to: 'child' },
        { from: 'child', to: 'gate' },
        { from: 'gate', to: 'yes', when: 'approved' },
        { from: 'gate', to: 'no', when: 'rejected' },
      ],
    };
    expect(toApiGraph(fromApiGraph(graph))).toEqual(graph);
  });

  it('labels edges out of a gate approved, then rejected', () => {
    const d: Design = {
      nodes: [
        { id: 'gate', kind: 'human_gate', position: { x: 0, y: 0 } },
        { id: 'a', kind: 'output', position: { x: 0, y: 0 } },
      ],
      edges: [],
    };
    expect(defaultWhen(d, 'gate')).toBe('approved');
    d.edges.push({ id: 'gate->a', source: 'gate', target: 'a', when: 'approved' });
    expect(defaultWhen(d, 'gate')).toBe('rejected');
  });
});
