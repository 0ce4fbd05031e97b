import { Annotation, END, START, StateGraph, type BaseCheckpointSaver } from '@langchain/langgraph';

/**
 * The benchmark's graphs in LangGraph.js, shaped like Flowstack's: every node is a no-op that
 * records its output (the execution input, as Flowstack's `transform` with `expression: 'input'`
 * does) in a channel of its own, so a checkpoint carries each node's output like our event log,
 * and parallel branches never write the same channel. LangGraph's graph types are built for
 * literal state shapes; these are built from a node count, hence the casts at this boundary only.
 */

export interface CompiledShape {
  invoke(
    input: Record<string, unknown>,
    config: { configurable: { thread_id: string }; recursionLimit: number },
  ): Promise<unknown>;
}

/** The part of StateGraph's builder used here, with node names as plain strings. */
interface GraphBuilder {
  addNode(id: string, run: (state: Record<string, unknown>) => Record<string, unknown>): unknown;
  addEdge(from: string | string[], to: string): unknown;
  compile(options: { checkpointer?: BaseCheckpointSaver }): CompiledShape;
}

/** A builder whose state has `input` plus one output channel per node. */
function builderFor(ids: string[]): GraphBuilder {
  const spec: Record<string, ReturnType<typeof Annotation<unknown>>> = { input: Annotation<unknown>() };
  for (const id of ids) spec[channelOf(id)] = Annotation<unknown>();
  return new StateGraph(Annotation.Root(spec));
}

/** A node's output channel; LangGraph forbids a channel named like a node. */
const channelOf = (id: string): string => `${id}_out`;

const passInput = (id: string) => (state: Record<string, unknown>) => ({ [channelOf(id)]: state.input });

/** `n` nodes in a line: n0 -> n1 -> ... -> n(n-1). */
export function lineGraph(n: number, checkpointer?: BaseCheckpointSaver): CompiledShape {
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  const graph = builderFor(ids);
  for (const id of ids) graph.addNode(id, passInput(id));
  graph.addEdge(START, ids[0]);
  for (let i = 1; i < n; i++) graph.addEdge(ids[i - 1], ids[i]);
  graph.addEdge(ids[n - 1], END);
  return graph.compile({ checkpointer });
}

/** Five nodes: input -> (left, right in parallel) -> join (waits for both) -> output. */
export function diamondGraph(checkpointer?: BaseCheckpointSaver): CompiledShape {
  const ids = ['start', 'left', 'right', 'join', 'finish'];
  const graph = builderFor(ids);
  for (const id of ids) graph.addNode(id, passInput(id));
  graph.addEdge(START, 'start');
  graph.addEdge('start', 'left');
  graph.addEdge('start', 'right');
  graph.addEdge(['left', 'right'], 'join');
  graph.addEdge('join', 'finish');
  graph.addEdge('finish', END);
  return graph.compile({ checkpointer });
}
