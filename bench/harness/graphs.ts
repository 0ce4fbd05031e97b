import type { GraphSpec } from './api-client';

/**
 * The workloads' workflows. Every node between the ends is a `transform` whose expression passes
 * the input on (the no-op of issue 3); nothing here is special to the benchmark, and the platform
 * runs these nodes exactly as it runs any transform.
 */
const transform = (id: string) => ({ id, type: 'transform', config: { expression: 'input' } });

/** Workload 1: `count` nodes in a line: input, count-2 transforms, output. */
export function lineGraph(count: number): GraphSpec {
  const ids = Array.from({ length: count }, (_, i) => `n${i}`);
  return {
    entry_point: ids[0],
    nodes: ids.map((id, i) =>
      i === 0
        ? { id, type: 'input' }
        : i === count - 1
          ? { id, type: 'output', config: { value: '{{ input }}' } }
          : transform(id),
    ),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

/**
 * Workload 8: `count` nodes in a line: input, count-2 `builtin` `noop` tool nodes (each a task on
 * WORK run by a tool-runner), output.
 */
export function remoteLineGraph(count: number): GraphSpec {
  const ids = Array.from({ length: count }, (_, i) => `n${i}`);
  return {
    entry_point: ids[0],
    nodes: ids.map((id, i) =>
      i === 0
        ? { id, type: 'input' }
        : i === count - 1
          ? { id, type: 'output', config: { value: '{{ input }}' } }
          : { id, type: 'tool', config: { tool: { kind: 'builtin', operation: 'noop' }, args: { step: i } } },
    ),
    edges: ids.slice(1).map((id, i) => ({ from: ids[i], to: id })),
  };
}

/** Workload 2: input -> (left, right in parallel) -> join (waits for both) -> output. */
export function diamondGraph(): GraphSpec {
  return {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input' },
      transform('left'),
      transform('right'),
      transform('join'),
      { id: 'finish', type: 'output', config: { value: '{{ input }}' } },
    ],
    edges: [
      { from: 'start', to: 'left' },
      { from: 'start', to: 'right' },
      { from: 'left', to: 'join' },
      { from: 'right', to: 'join' },
      { from: 'join', to: 'finish' },
    ],
  };
}

/**
 * Workloads 3 and 5: input -> http tool call [-> transform] -> output. The tool node is the one
 * that leaves the orchestrator (a task on WORK, run by a tool-runner, its result back on RESULTS).
 */
export function httpToolGraph(url: string, options: { transformAfter: boolean }): GraphSpec {
  const last = options.transformAfter ? 'shape' : 'call';
  return {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input' },
      { id: 'call', type: 'tool', config: { tool: { kind: 'http', method: 'GET', url, timeoutMs: 10_000 } } },
      ...(options.transformAfter ? [transform('shape')] : []),
      { id: 'finish', type: 'output', config: { value: `{{ nodes.${last}.output }}` } },
    ],
    edges: [
      { from: 'start', to: 'call' },
      ...(options.transformAfter ? [{ from: 'call', to: 'shape' }] : []),
      { from: last, to: 'finish' },
    ],
  };
}
