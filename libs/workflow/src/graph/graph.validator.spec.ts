import { chainGraph, exampleGraph, graphAround } from './graph.fixtures';
import { validateGraph } from './graph.validator';

describe('validateGraph: valid graphs', () => {
  it('accepts input -> (http A, http B in parallel) -> transform -> condition -> output', () => {
    expect(validateGraph(exampleGraph())).toEqual([]);
  });

  it('accepts a condition with "true" and "false" edges', () => {
    const graph = exampleGraph();
    graph.edges[6] = { from: 'check', to: 'report_b', when: 'false' };
    expect(validateGraph(graph)).toEqual([]);
  });

  it('accepts a graph of a single input node', () => {
    expect(validateGraph({ entry_point: 'start', nodes: [{ id: 'start', type: 'input', config: {} }], edges: [] })).toEqual([]);
  });

  it('accepts two differently labelled routes from one condition to the same node', () => {
    const graph = graphAround({ id: 'c', type: 'condition', config: { expression: 'input.tier' } });
    graph.edges[1].when = 'gold';
    graph.edges.push({ from: 'c', to: 'end', when: 'silver' });
    expect(validateGraph(graph)).toEqual([]);
  });

  it('validates a 5000-node chain quickly and without recursion', () => {
    const started = performance.now();
    expect(validateGraph(chainGraph(5000))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('validateGraph: node rules', () => {
  it('duplicate_node_id: points at the second node with the id', () => {
    const graph = exampleGraph();
    graph.nodes[3] = { ...graph.nodes[3], id: 'fetch_a' };
    graph.edges = graph.edges.map((e) => ({
      ...e,
      from: e.from === 'join' ? 'fetch_a' : e.from,
      to: e.to === 'join' ? 'fetch_a' : e.to,
    }));
    const errors = validateGraph(graph).filter((e) => e.rule === 'duplicate_node_id');
    expect(errors).toEqual([
      {
        rule: 'duplicate_node_id',
        path: 'nodes[3].id',
        nodeId: 'fetch_a',
        message: 'node 3 has id "fetch_a", already used by node 1',
      },
    ]);
  });

  it('unknown_node_type: names the node and the type', () => {
    const graph = exampleGraph();
    (graph.nodes[3] as { type: string }).type = 'teleport';
    expect(validateGraph(graph)).toEqual([
      expect.objectContaining({
        rule: 'unknown_node_type',
        path: 'nodes[3].type',
        nodeId: 'join',
        message: expect.stringContaining('unknown type "teleport"'),
      }),
    ]);
  });

  it('unsupported_node_type: a known type the deployment does not run', () => {
    const graph = graphAround({ id: 'child', type: 'sub_workflow', config: { workflowId: 'wf' } });
    expect(validateGraph(graph, { runnableTypes: ['input', 'output'] })).toEqual([
      expect.objectContaining({
        rule: 'unsupported_node_type',
        path: 'nodes[1].type',
        nodeId: 'child',
        message: expect.stringContaining('not available yet'),
      }),
    ]);
  });

  it('sub_workflow runs by default and its config is checked (workflowId, version, input template)', () => {
    expect(validateGraph(graphAround({ id: 'child', type: 'sub_workflow', config: { workflowId: 'wf', version: 2 } }))).toEqual(
      [],
    );
    const bad = graphAround({ id: 'child', type: 'sub_workflow', config: { version: 0, input: '{{ (' } });
    expect(validateGraph(bad).map((e) => [e.rule, e.path])).toEqual([
      ['invalid_node_config', 'nodes[1].config.workflowId'],
      ['invalid_node_config', 'nodes[1].config.version'],
      ['invalid_node_config', 'nodes[1].config.input'],
    ]);
  });

  it('unsupported_node_type follows options.runnableTypes', () => {
    const graph = graphAround({ id: 'child', type: 'sub_workflow', config: { workflowId: 'wf' } });
    expect(validateGraph(graph, { runnableTypes: ['input', 'output', 'sub_workflow'] })).toEqual([]);
    const errors = validateGraph(exampleGraph(), { runnableTypes: ['input', 'output', 'transform', 'condition'] });
    expect(errors.map((e) => [e.rule, e.path])).toEqual([
      ['unsupported_node_type', 'nodes[1].type'],
      ['unsupported_node_type', 'nodes[2].type'],
    ]);
  });
});

describe('validateGraph: edge rules', () => {
  it('dangling_edge: an edge to an unknown node, with no cascading cycle/reachability errors', () => {
    const graph = exampleGraph();
    graph.edges.push({ from: 'join', to: 'ghost' });
    expect(validateGraph(graph)).toEqual([
      {
        rule: 'dangling_edge',
        path: 'edges[7].to',
        edge: { from: 'join', to: 'ghost' },
        message: 'edge 7 (join -> ghost) points to unknown node "ghost"',
      },
    ]);
  });

  it('dangling_edge: an edge from an unknown node does not make its target a second entry point', () => {
    const graph = exampleGraph();
    graph.edges[4] = { from: 'jion', to: 'check' };
    expect(validateGraph(graph)).toEqual([
      {
        rule: 'dangling_edge',
        path: 'edges[4].from',
        edge: { from: 'jion', to: 'check' },
        message: 'edge 4 (jion -> check) starts at unknown node "jion"',
      },
    ]);
  });

  it('self_loop', () => {
    const graph = exampleGraph();
    graph.edges.push({ from: 'join', to: 'join' });
    expect(validateGraph(graph)).toEqual([
      {
        rule: 'self_loop',
        path: 'edges[7]',
        nodeId: 'join',
        edge: { from: 'join', to: 'join' },
        message: 'edge 7 (join -> join) connects node "join" to itself',
      },
    ]);
  });

  it('duplicate_edge', () => {
    const graph = exampleGraph();
    graph.edges.push({ from: 'fetch_b', to: 'join' });
    expect(validateGraph(graph)).toEqual([
      {
        rule: 'duplicate_edge',
        path: 'edges[7]',
        edge: { from: 'fetch_b', to: 'join' },
        message: 'edge 7 (fetch_b -> join) repeats edge 3',
      },
    ]);
  });

  it('when_on_non_condition_edge', () => {
    const graph = exampleGraph();
    graph.edges[2] = { from: 'fetch_a', to: 'join', when: 'true' };
    expect(validateGraph(graph)).toEqual([
      expect.objectContaining({
        rule: 'when_on_non_condition_edge',
        path: 'edges[2].when',
        nodeId: 'fetch_a',
        edge: { from: 'fetch_a', to: 'join' },
        message: expect.stringContaining('"fetch_a" is a tool node'),
      }),
    ]);
  });
});

describe('validateGraph: topology rules', () => {
  it('missing_entry_point', () => {
    const graph = { ...exampleGraph(), entry_point: 'begin' };
    expect(validateGraph(graph)).toEqual([
      { rule: 'missing_entry_point', path: 'entry_point', message: 'entry_point "begin" is not the id of any node' },
    ]);
  });

  it('entry_point_has_incoming_edge', () => {
    const graph = exampleGraph();
    graph.entry_point = 'fetch_a';
    const errors = validateGraph(graph);
    expect(errors).toContainEqual(
      expect.objectContaining({
        rule: 'entry_point_has_incoming_edge',
        path: 'edges[0].to',
        nodeId: 'fetch_a',
        edge: { from: 'start', to: 'fetch_a' },
      }),
    );
    // `start` is now a second root, and `fetch_b`, only below it, is out of the entry's reach.
    expect(errors.map((e) => [e.rule, e.nodeId])).toEqual([
      ['entry_point_has_incoming_edge', 'fetch_a'],
      ['multiple_entry_points', 'start'],
      ['unreachable_node', 'fetch_b'],
    ]);
  });

  it('multiple_entry_points: a second node without incoming edges', () => {
    const graph = exampleGraph();
    graph.nodes.push({ id: 'stray', type: 'transform', config: { expression: '1' } });
    expect(validateGraph(graph)).toEqual([
      expect.objectContaining({
        rule: 'multiple_entry_points',
        path: 'nodes[7]',
        nodeId: 'stray',
        message: expect.stringContaining('besides "start"'),
      }),
    ]);
  });

  it('unreachable_node: below a second root (which is itself reported once, as an entry point)', () => {
    const graph = exampleGraph();
    graph.nodes.push(
      { id: 'stray', type: 'input', config: {} },
      { id: 'orphan', type: 'transform', config: { expression: '1' } },
    );
    graph.edges.push({ from: 'stray', to: 'orphan' });
    expect(validateGraph(graph).map((e) => [e.rule, e.path, e.nodeId])).toEqual([
      ['multiple_entry_points', 'nodes[7]', 'stray'],
      ['unreachable_node', 'nodes[8]', 'orphan'],
    ]);
  });

  it('cycle: reports the closing edge and the cycle in the message', () => {
    const graph = exampleGraph();
    graph.edges.push({ from: 'check', to: 'fetch_a', when: 'retry' });
    expect(validateGraph(graph)).toEqual([
      {
        rule: 'cycle',
        path: 'edges[7]',
        nodeId: 'fetch_a',
        edge: { from: 'check', to: 'fetch_a' },
        message: 'edge 7 (check -> fetch_a) closes a cycle: fetch_a -> join -> check -> fetch_a',
      },
    ]);
  });

  it('cycle: found in a part the entry does not reach (its nodes are unreachable too)', () => {
    const graph = exampleGraph();
    graph.nodes.push(
      { id: 'x', type: 'transform', config: { expression: '1' } },
      { id: 'y', type: 'transform', config: { expression: '2' } },
    );
    graph.edges.push({ from: 'x', to: 'y' }, { from: 'y', to: 'x' });
    expect(validateGraph(graph).map((e) => [e.rule, e.path, e.message])).toEqual([
      ['cycle', 'edges[8]', 'edge 8 (y -> x) closes a cycle: x -> y -> x'],
      ['unreachable_node', 'nodes[7]', 'node "x" cannot be reached from the entry point "start"'],
      ['unreachable_node', 'nodes[8]', 'node "y" cannot be reached from the entry point "start"'],
    ]);
  });

  it('cycle: a long cycle is abbreviated in the message', () => {
    const graph = chainGraph(100);
    graph.edges.push({ from: 'n99', to: 'n0' });
    const [error] = validateGraph(graph);
    expect(error).toMatchObject({ rule: 'cycle', path: 'edges[100]', edge: { from: 'n99', to: 'n0' } });
    expect(error?.message).toContain('... (100 nodes) -> n0');
  });

  it('skips cycle and reachability checks while an edge dangles', () => {
    const graph = exampleGraph();
    graph.edges.push({ from: 'check', to: 'fetch_a', when: 'retry' }, { from: 'check', to: 'nowhere', when: 'x' });
    expect(validateGraph(graph).map((e) => e.rule)).toEqual(['dangling_edge']);
  });
});

describe('validateGraph: input_schema', () => {
  it("invalid_input_schema: with ajv's message and the path inside the schema", () => {
    const graph = { ...exampleGraph(), input_schema: { type: 'object', properties: { city: { type: 'strin' } } } };
    expect(validateGraph(graph)).toEqual([
      expect.objectContaining({
        rule: 'invalid_input_schema',
        path: 'input_schema.properties.city.type',
        message: expect.stringContaining('must be equal to one of the allowed values'),
      }),
    ]);
  });

  it('invalid_input_schema: a $ref that does not resolve', () => {
    const graph = { ...exampleGraph(), input_schema: { $ref: '#/definitions/nope' } };
    expect(validateGraph(graph)).toEqual([
      expect.objectContaining({
        rule: 'invalid_input_schema',
        path: 'input_schema',
        message: expect.stringContaining("can't resolve reference"),
      }),
    ]);
  });

  it('accepts draft 2020-12 schemas, formats, and the same $id saved twice', () => {
    const input_schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://flowstack.test/input',
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, tags: { type: 'array', prefixItems: [{ type: 'string' }] } },
    };
    expect(validateGraph({ ...exampleGraph(), input_schema })).toEqual([]);
    expect(validateGraph({ ...exampleGraph(), input_schema })).toEqual([]);
  });
});

it('reports every error at once, in node, edge, topology, schema order', () => {
  const graph = exampleGraph();
  graph.nodes[1] = { ...graph.nodes[1], config: { tool: { kind: 'http' } } };
  graph.nodes.push({ id: 'join', type: 'transform', config: { expression: '1' } });
  graph.edges.push({ from: 'join', to: 'join' });
  graph.input_schema = { type: 12 };
  expect(validateGraph(graph).map((e) => [e.rule, e.path])).toEqual([
    ['invalid_node_config', 'nodes[1].config.tool.url'],
    ['duplicate_node_id', 'nodes[7].id'],
    ['self_loop', 'edges[7]'],
    ['invalid_input_schema', 'input_schema.type'],
  ]);
});
