import type { GraphNode, WorkflowGraph } from '@flowstack/contracts';
import { graphAround } from './graph.fixtures';
import { validateGraph } from './graph.validator';

const tool = (extra: Record<string, unknown>): GraphNode => ({
  id: 'call',
  type: 'tool',
  config: { tool: { kind: 'http', url: 'http://127.0.0.1/x' }, ...extra },
});
const errorsOf = (node: GraphNode): ReturnType<typeof validateGraph> => validateGraph(graphAround(node));

describe('node config: retry policy and attempt timeout', () => {
  it('accepts a full policy and a timeout on any node', () => {
    const retry = {
      maxAttempts: 5,
      initialIntervalMs: 100,
      backoffCoefficient: 1.5,
      maxIntervalMs: 10_000,
      jitter: 0.2,
      nonRetryableErrorCodes: ['http_status'],
    };
    expect(errorsOf(tool({ retry, timeoutMs: 30_000 }))).toEqual([]);
    expect(errorsOf({ id: 't', type: 'transform', config: { expression: '1', retry: { maxAttempts: 1 } } })).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['maxAttempts 0', { maxAttempts: 0 }, 'nodes[1].config.retry.maxAttempts'],
    ['maxAttempts not whole', { maxAttempts: 2.5 }, 'nodes[1].config.retry.maxAttempts'],
    ['negative interval', { initialIntervalMs: -1 }, 'nodes[1].config.retry.initialIntervalMs'],
    ['coefficient below 1', { backoffCoefficient: 0.5 }, 'nodes[1].config.retry.backoffCoefficient'],
    ['jitter above 1', { jitter: 1.5 }, 'nodes[1].config.retry.jitter'],
    ['a code that is not a string', { nonRetryableErrorCodes: ['ok', 7] }, 'nodes[1].config.retry.nonRetryableErrorCodes[1]'],
    ['an unknown field (a typo)', { maxAttempt: 3 }, 'nodes[1].config.retry'],
    ['not an object', 'three', 'nodes[1].config.retry'],
  ])('refuses %s, at the field', (_label, retry, path) => {
    expect(errorsOf(tool({ retry }))).toEqual([
      expect.objectContaining({
        rule: 'invalid_node_config',
        path,
        nodeId: 'call',
        message: expect.stringContaining('config.retry'),
      }),
    ]);
  });

  it.each([0, -5, 1.5, '1000', 86_400_001])('refuses timeoutMs %p', (timeoutMs) => {
    expect(errorsOf(tool({ timeoutMs }))).toEqual([
      expect.objectContaining({ rule: 'invalid_node_config', path: 'nodes[1].config.timeoutMs', nodeId: 'call' }),
    ]);
  });
});

describe('graph defaults', () => {
  const withDefaults = (defaults: unknown): WorkflowGraph => ({ ...graphAround(tool({})), defaults }) as WorkflowGraph;

  it('accepts a retry policy and a timeout for every node', () => {
    expect(validateGraph(withDefaults({ retry: { maxAttempts: 2, jitter: 0 }, timeoutMs: 5_000 }))).toEqual([]);
  });

  it.each<[unknown, string]>([
    [{ retry: { maxAttempts: 0 } }, 'defaults.retry.maxAttempts'],
    [{ retry: { jitter: -0.1 } }, 'defaults.retry.jitter'],
    [{ timeoutMs: 0 }, 'defaults.timeoutMs'],
    [{ retries: {} }, 'defaults'],
  ])('refuses %j at %s', (defaults, path) => {
    expect(validateGraph(withDefaults(defaults))).toEqual([
      expect.objectContaining({ rule: 'invalid_defaults', path, message: expect.stringContaining(path) }),
    ]);
  });
});

describe('node config: delay', () => {
  const delay = (config: Record<string, unknown>): GraphNode => ({ id: 'wait', type: 'delay', config });

  it.each([{ seconds: 0 }, { seconds: 1.5 }, { until: '2026-12-01T09:00:00Z' }, { until: '2026-12-01T09:00:00.250+02:00' }])(
    'accepts %j',
    (config) => {
      expect(errorsOf(delay(config))).toEqual([]);
    },
  );

  it.each<[Record<string, unknown>, string]>([
    [{}, 'nodes[1].config'],
    [{ seconds: 1, until: '2026-12-01T09:00:00Z' }, 'nodes[1].config'],
    [{ seconds: -1 }, 'nodes[1].config.seconds'],
    [{ seconds: '5' }, 'nodes[1].config.seconds'],
    [{ seconds: 400 * 24 * 3600 }, 'nodes[1].config.seconds'],
    [{ until: 'tomorrow' }, 'nodes[1].config.until'],
    [{ until: '2026-12-01 09:00' }, 'nodes[1].config.until'],
    [{ until: '2026-12-01T09:00:00' }, 'nodes[1].config.until'],
  ])('refuses %j at %s', (config, path) => {
    expect(errorsOf(delay(config))).toEqual([expect.objectContaining({ rule: 'invalid_node_config', path, nodeId: 'wait' })]);
  });
});
