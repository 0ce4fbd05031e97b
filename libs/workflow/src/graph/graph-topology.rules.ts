import type { FieldError, WorkflowGraph } from '@flowstack/contracts';
import { edgeInWords, type CheckedEdges } from './graph-edges.rules';

/** Cycles longer than this are abbreviated in messages, which keeps reporting linear. */
const MAX_CYCLE_IDS_IN_MESSAGE = 20;

/**
 * Whole-graph rules: one entry point without incoming edges, no other root, no cycle, everything
 * reachable from the entry. Runs over `edges.usable` only; cycle and reachability checks are
 * skipped while an edge dangles. O(nodes + edges), iterative (no recursion on 1000-node chains).
 */
export function checkTopology(
  graph: WorkflowGraph,
  indexById: ReadonlyMap<string, number>,
  edges: CheckedEdges,
  errors: FieldError[],
): void {
  const entry = indexById.get(graph.entry_point);
  if (entry === undefined) {
    errors.push({
      path: 'entry_point',
      rule: 'missing_entry_point',
      message: `entry_point "${graph.entry_point}" is not the id of any node`,
    });
  }
  const extraRoots = new Set<number>();
  if (entry !== undefined) {
    for (const edge of edges.usable) {
      if (edge.to !== entry) continue;
      const { from, to } = graph.edges[edge.index];
      errors.push({
        path: `edges[${edge.index}].to`,
        rule: 'entry_point_has_incoming_edge',
        edge: { from, to },
        nodeId: to,
        message: `${edgeInWords({ from, to }, edge.index)} points into the entry point "${to}", which must have no incoming edge`,
      });
    }
    // Only first occurrences: a duplicate id is its own error.
    for (const [id, i] of indexById) {
      if (i === entry || edges.incoming[i] > 0) continue;
      extraRoots.add(i);
      errors.push({
        path: `nodes[${i}]`,
        rule: 'multiple_entry_points',
        nodeId: id,
        message: `node "${id}" has no incoming edge, so it would be a second entry point besides "${graph.entry_point}"`,
      });
    }
  }
  if (edges.dangling) return;
  const outgoing = adjacency(graph.nodes.length, edges);
  reportCycles(graph, indexById, entry, outgoing, errors);
  if (entry !== undefined) reportUnreachable(graph, indexById, entry, outgoing, extraRoots, errors);
}

type Adjacency = Array<Array<{ to: number; index: number }>>;

/** Per node index: its outgoing usable edges (target node index, edge index in the graph). */
function adjacency(size: number, edges: CheckedEdges): Adjacency {
  const outgoing: Adjacency = Array.from({ length: size }, () => []);
  for (const edge of edges.usable) outgoing[edge.from].push({ to: edge.to, index: edge.index });
  return outgoing;
}

/**
 * Depth-first search with an explicit stack; an edge into a node still on the stack closes a
 * cycle, and the stack from that node up is the cycle. Starts at the entry so that cycles read
 * in execution order, then covers the nodes the entry does not reach.
 */
function reportCycles(
  graph: WorkflowGraph,
  indexById: ReadonlyMap<string, number>,
  entry: number | undefined,
  outgoing: Adjacency,
  errors: FieldError[],
): void {
  const ON_STACK = 1;
  const DONE = 2;
  const state = new Uint8Array(graph.nodes.length);
  const stackPosition = new Int32Array(graph.nodes.length);
  const stack: number[] = [];
  const cursor: number[] = [];
  const push = (node: number): void => {
    state[node] = ON_STACK;
    stackPosition[node] = stack.length;
    stack.push(node);
    cursor.push(0);
  };
  const roots = entry === undefined ? indexById.values() : [entry, ...indexById.values()];
  for (const root of roots) {
    if (state[root] !== 0) continue;
    push(root);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const node = stack[top];
      const next = outgoing[node][cursor[top]];
      if (next === undefined) {
        state[node] = DONE;
        stack.pop();
        cursor.pop();
        continue;
      }
      cursor[top] += 1;
      if (state[next.to] === 0) push(next.to);
      else if (state[next.to] === ON_STACK) errors.push(cycleError(graph, next.index, stack, stackPosition[next.to]));
    }
  }
}

function cycleError(graph: WorkflowGraph, edgeIndex: number, stack: readonly number[], start: number): FieldError {
  const { from, to } = graph.edges[edgeIndex];
  const length = stack.length - start;
  const shown = stack.slice(start, start + Math.min(length, MAX_CYCLE_IDS_IN_MESSAGE)).map((i) => graph.nodes[i].id);
  const ids = length > shown.length ? [...shown, `... (${length} nodes)`] : shown;
  return {
    path: `edges[${edgeIndex}]`,
    rule: 'cycle',
    edge: { from, to },
    nodeId: to,
    message: `${edgeInWords({ from, to }, edgeIndex)} closes a cycle: ${[...ids, to].join(' -> ')}`,
  };
}

/** Breadth-first from the entry. Extra roots are already reported; what hangs only below them
 * is not reachable either, and says so. */
function reportUnreachable(
  graph: WorkflowGraph,
  indexById: ReadonlyMap<string, number>,
  entry: number,
  outgoing: Adjacency,
  extraRoots: ReadonlySet<number>,
  errors: FieldError[],
): void {
  const reached = new Uint8Array(graph.nodes.length);
  const queue = [entry];
  reached[entry] = 1;
  for (let head = 0; head < queue.length; head++) {
    for (const { to } of outgoing[queue[head]]) {
      if (reached[to] === 0) {
        reached[to] = 1;
        queue.push(to);
      }
    }
  }
  for (const [id, i] of indexById) {
    if (reached[i] === 1 || extraRoots.has(i)) continue;
    errors.push({
      path: `nodes[${i}]`,
      rule: 'unreachable_node',
      nodeId: id,
      message: `node "${id}" cannot be reached from the entry point "${graph.entry_point}"`,
    });
  }
}
