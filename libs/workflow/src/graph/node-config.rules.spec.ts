import type { GraphNode } from '@flowstack/contracts';
import { graphAround } from './graph.fixtures';
import { validateGraph } from './graph.validator';

/** The errors of one node under test, placed at `nodes[1]` of `input -> node -> output`. */
const errorsOf = (node: GraphNode): ReturnType<typeof validateGraph> => validateGraph(graphAround(node));

const httpTool = (tool: Record<string, unknown>): GraphNode => ({
  id: 'call',
  type: 'tool',
  config: { tool: { kind: 'http', url: 'http://127.0.0.1/x', ...tool } },
});

describe('node config: valid nodes of each runnable type', () => {
  it.each<[string, GraphNode]>([
    ['transform', { id: 't', type: 'transform', config: { expression: '$sum(input.items.price) * 1.2' } }],
    ['condition', { id: 'c', type: 'condition', config: { expression: 'input.amount > 100' } }],
    [
      'output with JSON and templates',
      { id: 'o', type: 'output', config: { value: { n: 1, text: 'hi {{ input.name }}', list: [true, null] } } },
    ],
    ['output with a falsy value', { id: 'o', type: 'output', config: { value: null } }],
    ['registered tool', { id: 'r', type: 'tool', config: { toolId: 'tool_123', args: { q: '{{ input.q }}' } } }],
    [
      'inline http tool',
      httpTool({
        method: 'PATCH',
        headers: { Authorization: 'Bearer {{ secrets.token }}' },
        body: { a: '{{ input }}' },
        timeoutMs: 300000,
      }),
    ],
  ])('%s', (_label, node) => {
    expect(errorsOf(node)).toEqual([]);
  });

  it('input nodes take an empty config, or none', () => {
    expect(validateGraph({ entry_point: 's', nodes: [{ id: 's', type: 'input' }], edges: [] })).toEqual([]);
  });
});

describe('node config: invalid_node_config', () => {
  it('a config that is not an object', () => {
    const node = { id: 's', type: 'input', config: ['x'] } as unknown as GraphNode;
    expect(validateGraph({ entry_point: 's', nodes: [node], edges: [] })).toEqual([
      { rule: 'invalid_node_config', path: 'nodes[0].config', nodeId: 's', message: 'input node "s": config must be an object' },
    ]);
  });

  it.each(['transform', 'condition'] as const)('%s without an expression', (type) => {
    expect(errorsOf({ id: 'x', type, config: {} })).toEqual([
      expect.objectContaining({ rule: 'invalid_node_config', path: 'nodes[1].config.expression', nodeId: 'x' }),
    ]);
  });

  it.each(['transform', 'condition'] as const)('%s whose expression does not compile, with the position', (type) => {
    expect(errorsOf({ id: 'x', type, config: { expression: 'input.(a' } })).toEqual([
      {
        rule: 'invalid_node_config',
        path: 'nodes[1].config.expression',
        nodeId: 'x',
        message: `${type} node "x": config.expression does not compile at position 8: Expected ")" before end of expression`,
      },
    ]);
  });

  it('output without a value', () => {
    expect(errorsOf({ id: 'o', type: 'output', config: {} })).toEqual([
      expect.objectContaining({ rule: 'invalid_node_config', path: 'nodes[1].config.value', nodeId: 'o' }),
    ]);
  });

  it('output with a template that does not compile, located inside the value', () => {
    expect(errorsOf({ id: 'o', type: 'output', config: { value: { list: ['ok', 'bad {{ input. }}'] } } })).toEqual([
      expect.objectContaining({
        rule: 'invalid_node_config',
        path: 'nodes[1].config.value.list[1]',
        nodeId: 'o',
        message: expect.stringContaining('template at config.value.list[1]: template expression does not compile at position'),
      }),
    ]);
  });

  it('tool with neither toolId nor tool', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { args: {} } })).toEqual([
      expect.objectContaining({
        rule: 'invalid_node_config',
        path: 'nodes[1].config',
        message: expect.stringContaining('needs config.toolId'),
      }),
    ]);
  });

  it('tool with both toolId and tool', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { toolId: 'a', tool: { kind: 'http', url: 'http://x' } } })).toEqual([
      expect.objectContaining({ path: 'nodes[1].config', message: expect.stringContaining('not both') }),
    ]);
  });

  it('tool with an empty toolId', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { toolId: '' } })).toEqual([
      expect.objectContaining({ path: 'nodes[1].config.toolId', rule: 'invalid_node_config' }),
    ]);
  });

  it('inline tool without a kind, or not an object', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { url: 'http://x' } } }).map((e) => e.path)).toEqual([
      'nodes[1].config.tool.kind',
    ]);
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: 'http' } }).map((e) => e.path)).toEqual(['nodes[1].config.tool']);
  });

  it('refuses an inline mcp tool, pointing to registered (discovered) tools', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'mcp', serverUrl: 'https://x/mcp' } } })).toEqual([
      expect.objectContaining({
        path: 'nodes[1].config.tool.kind',
        message: expect.stringMatching(/^tool node "t": inline mcp tools are refused: register the server .*\/discover/),
      }),
    ]);
  });

  it('inline python, shell and builtin tools are checked against their kind; source code is no template', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'python', code: 'print(f"{{x}}")' } } })).toEqual([]);
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'shell', command: 'echo {{' } } })).toEqual([]);
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'builtin', operation: 'noop' } } })).toEqual([]);
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'python' } } }).map((e) => e.path)).toEqual([
      'nodes[1].config.tool.code',
    ]);
    expect(
      errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'builtin', operation: 'rm_rf' } } }).map((e) => e.path),
    ).toEqual(['nodes[1].config.tool.operation']);
    expect(
      errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'python', code: 'x', env: { V: '{{ 1 + }}' } } } }).map(
        (e) => e.path,
      ),
    ).toEqual(['nodes[1].config.tool.env.V']);
  });

  it('inline tool of an unknown kind', () => {
    expect(errorsOf({ id: 't', type: 'tool', config: { tool: { kind: 'ftp' } } })).toEqual([
      expect.objectContaining({ path: 'nodes[1].config.tool.kind', message: expect.stringContaining('unknown tool kind "ftp"') }),
    ]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['missing url', { url: undefined }, 'nodes[1].config.tool.url'],
    ['url not a string', { url: 42 }, 'nodes[1].config.tool.url'],
    ['bad method', { method: 'FETCH' }, 'nodes[1].config.tool.method'],
    ['lower-case method', { method: 'get' }, 'nodes[1].config.tool.method'],
    ['headers not an object', { headers: ['a'] }, 'nodes[1].config.tool.headers'],
    ['header not a string', { headers: { 'X-Count': 3 } }, 'nodes[1].config.tool.headers["X-Count"]'],
    ['timeout zero', { timeoutMs: 0 }, 'nodes[1].config.tool.timeoutMs'],
    ['timeout fractional', { timeoutMs: 1.5 }, 'nodes[1].config.tool.timeoutMs'],
    ['timeout above 300000', { timeoutMs: 300001 }, 'nodes[1].config.tool.timeoutMs'],
    ['timeout a string', { timeoutMs: '100' }, 'nodes[1].config.tool.timeoutMs'],
  ])('http tool: %s', (_label, tool, path) => {
    expect(errorsOf(httpTool(tool))).toEqual([expect.objectContaining({ rule: 'invalid_node_config', path, nodeId: 'call' })]);
  });

  it('http tool: templates anywhere in the config must compile', () => {
    const node = httpTool({
      url: 'http://x/{{ input.id',
      headers: { A: '{{ $ }}', B: '{{ ) }}' },
      body: { deep: ['{{ 1 + }}'] },
    });
    (node.config as Record<string, unknown>).args = { q: '{{ }}' };
    expect(errorsOf(node).map((e) => e.path)).toEqual([
      'nodes[1].config.tool.url',
      'nodes[1].config.tool.headers.B',
      'nodes[1].config.tool.body.deep[0]',
      'nodes[1].config.args.q',
    ]);
  });

  it('validation nodes (when enabled) need a valid JSON Schema', () => {
    const graph = graphAround({ id: 'v', type: 'validation', config: { schema: { type: 'object', required: 'name' } } });
    expect(validateGraph(graph, { runnableTypes: ['input', 'validation', 'output'] })).toEqual([
      expect.objectContaining({ rule: 'invalid_node_config', path: 'nodes[1].config.schema.required', nodeId: 'v' }),
    ]);
  });
});
