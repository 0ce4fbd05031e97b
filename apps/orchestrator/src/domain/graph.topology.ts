/**
 * The shape of a pinned graph, computed once when an execution starts so that every later
 * decision reads parents, children and order by key instead of scanning the edge list.
 */
import type { GraphEdge, GraphNode, WorkflowGraph } from '@flowstack/contracts';

/** Precomputed adjacency and order of a workflow graph. Immutable once built. */
export interface Topology {
  /** Node ids in topological order; ties keep the graph's declaration order, so output is stable. */
  readonly order: readonly string[];
  /** Position of each node in `order`: the key the decider sorts its events by. */
  readonly rank: Readonly<Record<string, number>>;
  readonly nodes: Readonly<Record<string, GraphNode>>;
  /** Edges arriving at each node, in declaration order (an empty list for a root). */
  readonly incoming: Readonly<Record<string, readonly GraphEdge[]>>;
  /** Edges leaving each node, in declaration order (an empty list for a leaf). */
  readonly outgoing: Readonly<Record<string, readonly GraphEdge[]>>;
}

/**
 * Builds the topology of `graph`. Tolerant by design (it also runs in `evolve`, which must never
 * throw on stored history): edges to unknown nodes are dropped and nodes on a cycle are appended
 * to `order` in declaration order. `graphProblems` is what refuses such graphs up front.
 */
export function buildTopology(graph: WorkflowGraph): Topology {
  const nodes: Record<string, GraphNode> = {};
  const declared: Record<string, number> = {};
  const incoming: Record<string, GraphEdge[]> = {};
  const outgoing: Record<string, GraphEdge[]> = {};
  graph.nodes.forEach((node, index) => {
    if (Object.hasOwn(nodes, node.id)) return;
    nodes[node.id] = node;
    declared[node.id] = index;
    incoming[node.id] = [];
    outgoing[node.id] = [];
  });
  for (const edge of graph.edges) {
    if (!Object.hasOwn(nodes, edge.from) || !Object.hasOwn(nodes, edge.to)) continue;
    outgoing[edge.from].push(edge);
    incoming[edge.to].push(edge);
  }

  // Kahn's algorithm; the ready list stays sorted by declaration index for a deterministic order.
  const waiting: Record<string, number> = {};
  const ready: string[] = [];
  for (const id of Object.keys(nodes)) {
    waiting[id] = incoming[id].length;
    if (waiting[id] === 0) insertByRank(ready, id, declared);
  }
  const order: string[] = [];
  while (ready.length > 0) {
    const id = ready.shift() as string;
    order.push(id);
    for (const edge of outgoing[id]) {
      waiting[edge.to] -= 1;
      if (waiting[edge.to] === 0) insertByRank(ready, edge.to, declared);
    }
  }
  if (order.length < Object.keys(nodes).length) {
    const placed = new Set(order);
    for (const { id } of graph.nodes) {
      if (placed.has(id)) continue;
      placed.add(id);
      order.push(id);
    }
  }

  const rank: Record<string, number> = {};
  order.forEach((id, index) => (rank[id] = index));
  return { order, rank, nodes, incoming, outgoing };
}

/**
 * What stops `graph` from being walked to the end; empty when it can be. The registry validates
 * graphs on save; this re-check guards the decider's invariants (every node reachable from the
 * entry point, no cycle), without which an execution could never complete.
 */
export function graphProblems(graph: WorkflowGraph): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const node of graph.nodes) {
    if (ids.has(node.id)) problems.push(`duplicate node id '${node.id}'`);
    // Node ids become object keys in state and scope; this one would reach the prototype.
    if (node.id === '__proto__') problems.push(`reserved node id '${node.id}'`);
    ids.add(node.id);
  }
  if (!ids.has(graph.entry_point)) problems.push(`entry point '${graph.entry_point}' is not a node`);
  for (const edge of graph.edges) {
    if (!ids.has(edge.from) || !ids.has(edge.to)) problems.push(`edge ${edge.from} -> ${edge.to} names an unknown node`);
  }
  if (problems.length > 0) return problems;

  const topology = buildTopology(graph);
  // Any cycle has an edge pointing backwards in every linear order, including this one.
  const onCycle = topology.order.filter((id) =>
    topology.incoming[id].some((edge) => topology.rank[edge.from] >= topology.rank[id]),
  );
  if (onCycle.length > 0) problems.push(`cycle: an edge leads back into ${onCycle.join(', ')}`);

  const reached = new Set<string>([graph.entry_point]);
  const stack = [graph.entry_point];
  while (stack.length > 0) {
    for (const edge of topology.outgoing[stack.pop() as string]) {
      if (reached.has(edge.to)) continue;
      reached.add(edge.to);
      stack.push(edge.to);
    }
  }
  const unreachable = topology.order.filter((id) => !reached.has(id));
  if (unreachable.length > 0) problems.push(`not reachable from the entry point: ${unreachable.join(', ')}`);
  return problems;
}

/** Inserts `id` into `queue` (kept ascending by `rank`), unless it is already there. */
export function insertByRank(queue: string[], id: string, rank: Readonly<Record<string, number>>): void {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (rank[queue[middle]] < rank[id]) low = middle + 1;
    else high = middle;
  }
  if (queue[low] !== id) queue.splice(low, 0, id);
}
