import { nodeConfigJsonSchemas, RUNNABLE_NODE_TYPES, NODE_TYPES, type NodeType } from '@flowstack/contracts';
import Ajv from 'ajv';
import { graphAround } from './graph.fixtures';
import { validateGraph } from './graph.validator';

/** The designer validates with a plain draft-07 Ajv (`@rjsf/validator-ajv8`): the same here. */
const ajv = new Ajv({ allErrors: true, strict: false });
const schemas = nodeConfigJsonSchemas();
const validators = Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema)]));

/** The registry's answer on the node's config (a gate's unlabelled edges in the fixture are another rule's business). */
const serverAccepts = (type: NodeType, config: Record<string, unknown>): boolean =>
  !validateGraph(graphAround({ id: 'n', type, config })).some((e) => e.rule === 'invalid_node_config');
const schemaAccepts = (type: NodeType, config: Record<string, unknown>): boolean => validators[type](config);

const ISO = '2026-12-01T09:00:00Z';
const http = (tool: Record<string, unknown>) => ({ tool: { kind: 'http', url: 'https://example.com/{{ input.id }}', ...tool } });

/** Shape samples: what a JSON Schema can say, so the server and the schema must give the same answer. */
const SAMPLES: Record<NodeType, { valid: Record<string, unknown>[]; invalid: Record<string, unknown>[] }> = {
  input: {
    valid: [{}, { retry: { maxAttempts: 2 } }, { timeoutMs: 500, extra: 'kept' }],
    invalid: [{ retry: { maxAttempts: 0 } }, { retry: { tries: 2 } }, { timeoutMs: 1.5 }, { scheduleToCloseTimeoutMs: 0 }],
  },
  transform: { valid: [{ expression: 'input.a' }], invalid: [{}, { expression: 3 }, { expression: 'x', timeoutMs: -1 }] },
  condition: { valid: [{ expression: 'input.a > 1' }], invalid: [{}, { expression: null }] },
  validation: {
    valid: [{ schema: { type: 'object' } }, { schema: true, data: '{{ input }}' }],
    invalid: [{}, { schema: 'object' }, { schema: [1] }],
  },
  tool: {
    valid: [
      { toolId: 'tool_1', args: { q: '{{ input.q }}' } },
      { toolId: 'mcp_1', mcpTool: 'lookup' },
      http({}),
      http({ method: 'POST', headers: { A: 'b' }, body: { x: 1 }, timeoutMs: 300000 }),
      { tool: { kind: 'python', code: 'result = 1' } },
      { tool: { kind: 'shell', command: 'echo hi', network: false } },
      { tool: { kind: 'builtin', operation: 'noop' } },
    ],
    invalid: [
      {},
      { args: {} },
      { toolId: '' },
      { toolId: '  ' },
      { toolId: 'a', tool: { kind: 'http', url: 'http://x' } },
      { toolId: 'a', tool: { kind: 'ftp' } },
      { tool: 'http' },
      { tool: { url: 'http://x' } },
      { tool: { kind: 'ftp' } },
      { tool: { kind: 'mcp', serverUrl: 'https://x/mcp' } },
      { tool: { kind: 'http' } },
      http({ method: 'get' }),
      http({ headers: ['a'] }),
      http({ headers: { A: 3 } }),
      http({ timeoutMs: 0 }),
      http({ timeoutMs: 300001 }),
      { tool: { kind: 'python' } },
      { tool: { kind: 'python', code: 'x', shell: true } },
      { tool: { kind: 'builtin', operation: 'rm_rf' } },
    ],
  },
  agent_call: {
    valid: [
      { agentId: 'a1', prompt: 'Hi {{ input.name }}' },
      { agentId: 'a1', messages: '{{ input.messages }}', tools: ['t1'], maxSteps: 4, outputSchema: { type: 'object' } },
      { agentId: 'a1', messages: [{ role: 'user', content: 'hi' }] },
    ],
    invalid: [
      { prompt: 'hi' },
      { agentId: 'a1' },
      { agentId: '', prompt: 'hi' },
      { agentId: 'a1', prompt: 'hi', maxSteps: 0 },
      { agentId: 'a1', prompt: 'hi', tools: [''] },
      { agentId: 'a1', prompt: 'hi', outputSchema: 'object' },
      { agentId: 'a1', messages: [] },
    ],
  },
  human_gate: {
    valid: [{ prompt: 'Ship it?' }, { prompt: 'Ship?', approverRole: 'admin', timeoutSeconds: 3600, onTimeout: 'rejected' }],
    invalid: [
      {},
      { prompt: '   ' },
      { prompt: 'x'.repeat(4001) },
      { prompt: 'ok?', approverRole: 'owner' },
      { prompt: 'ok?', timeoutSeconds: -1 },
      { prompt: 'ok?', timeoutSeconds: 400 * 24 * 3600 },
      { prompt: 'ok?', timeoutSeconds: 5, onTimeout: 'maybe' },
      { prompt: 'ok?', onTimeout: 'approved' },
    ],
  },
  delay: {
    valid: [{ seconds: 0 }, { seconds: 1.5 }, { until: ISO }, { until: '2026-12-01T09:00+09:00' }],
    invalid: [
      {},
      { seconds: -1 },
      { seconds: '60' },
      { until: 'tomorrow' },
      { until: '2026-12-01T09:00:00' },
      { seconds: 1, until: ISO },
    ],
  },
  sub_workflow: {
    valid: [{ workflowId: 'wf_1' }, { workflowId: 'wf_1', version: 2, input: { a: '{{ input }}' } }],
    invalid: [{}, { workflowId: ' ' }, { workflowId: 'wf_1', version: 0 }, { workflowId: 'wf_1', version: 1.5 }],
  },
  output: { valid: [{ value: null }, { value: { n: 1 } }, { value: 'done' }], invalid: [{}] },
};

/**
 * What only the server can check (a compiler is needed): the schema accepts these, the server
 * refuses them. The designer checks expressions and templates as you type; the save answers the rest.
 */
const SERVER_ONLY: Array<[NodeType, Record<string, unknown>]> = [
  ['transform', { expression: 'input.(a' }],
  ['output', { value: 'hi {{ input. }}' }],
  ['tool', http({ url: 'file:///etc/passwd' })],
  ['tool', { toolId: 't', args: { q: '{{ }}' } }],
  ['validation', { schema: { type: 'nonsense' } }],
  ['agent_call', { agentId: 'a1', prompt: 'Hi {{ input. }}' }],
  ['delay', { until: '2026-13-45T09:00:00Z' }],
];

describe('node config JSON Schemas', () => {
  it('exist for every node type, as draft-07 objects', () => {
    expect(Object.keys(schemas).sort()).toEqual([...new Set(NODE_TYPES)].sort());
    for (const type of RUNNABLE_NODE_TYPES) {
      expect(schemas[type]).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' });
      expect(SAMPLES[type].valid.length).toBeGreaterThan(0);
    }
  });

  describe.each(RUNNABLE_NODE_TYPES)('%s: the server and the schema agree', (type) => {
    it.each(SAMPLES[type].valid.map((c) => [JSON.stringify(c).slice(0, 80), c] as const))('both accept %s', (_l, config) => {
      expect([serverAccepts(type, config), schemaAccepts(type, config)]).toEqual([true, true]);
    });
    it.each(SAMPLES[type].invalid.map((c) => [JSON.stringify(c).slice(0, 80), c] as const))('both refuse %s', (_l, config) => {
      expect([serverAccepts(type, config), schemaAccepts(type, config)]).toEqual([false, false]);
    });
  });

  it.each(SERVER_ONLY.map(([type, c]) => [type, JSON.stringify(c), c] as const))(
    '%s %s: only the server refuses it (it needs a compiler)',
    (type, _l, config) => {
      expect([serverAccepts(type, config), schemaAccepts(type, config)]).toEqual([false, true]);
    },
  );
});
