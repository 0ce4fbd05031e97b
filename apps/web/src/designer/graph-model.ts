import type { ProblemIssue } from '../api/client';
import { layoutLeftToRight } from './layout';
import { BRANCHING_KINDS, GATE_DECISIONS, isNodeKind, type NodeKind } from './node-kinds';

/** A workflow graph as the API stores it (libs/contracts graph.ts). */
export interface ApiGraph {
  nodes: Array<{ id: string; type: string; label?: string; config?: Record<string, unknown> }>;
  edges: Array<{ from: string; to: string; when?: string }>;
  entry_point: string;
  input_schema?: Record<string, unknown>;
}

/** What the designer edits: nodes with positions, edges with their `when`. */
export interface DesignNode {
  id: string;
  kind: NodeKind;
  label?: string;
  config?: Record<string, unknown>;
  position: { x: number; y: number };
}
export interface DesignEdge {
  id: string;
  source: string;
  target: string;
  when?: string;
}
export interface Design {
  nodes: DesignNode[];
  edges: DesignEdge[];
  inputSchema?: Record<string, unknown>;
}

export const edgeId = (source: string, target: string): string => `${source}->${target}`;

/** The entry point is the one `input` node (the server refuses any other node without parents). */
export function toApiGraph(design: Design): ApiGraph {
  const entry = design.nodes.find((n) => n.kind === 'input') ?? design.nodes[0];
  return {
    entry_point: entry?.id ?? '',
    ...(design.inputSchema ? { input_schema: design.inputSchema } : {}),
    nodes: design.nodes.map((n) => ({
      id: n.id,
      type: n.kind,
      ...(n.label ? { label: n.label } : {}),
      ...(n.config ? { config: n.config } : {}),
    })),
    edges: design.edges.map((e) => ({ from: e.source, to: e.target, ...(e.when ? { when: e.when } : {}) })),
  };
}

/**
 * A stored graph back into a design. Positions are not part of the graph: nodes are laid out left
 * to right by the layered layout (layout.ts), the same one the designer's Auto-layout button runs.
 */
export function fromApiGraph(graph: ApiGraph): Design {
  const edges = graph.edges.map((e) => ({
    id: edgeId(e.from, e.to),
    source: e.from,
    target: e.to,
    ...(e.when ? { when: e.when } : {}),
  }));
  const at = layoutLeftToRight(graph.nodes, edges);
  const nodes = graph.nodes.map((n): DesignNode => ({
    id: n.id,
    kind: isNodeKind(n.type) ? n.type : 'transform',
    ...(n.label ? { label: n.label } : {}),
    ...(n.config ? { config: n.config } : {}),
    position: at.get(n.id) ?? { x: 0, y: 0 },
  }));
  return { nodes, edges, ...(graph.input_schema ? { inputSchema: graph.input_schema } : {}) };
}

/** A fresh node id for a kind: `tool`, `tool_2`, ... */
export function nextNodeId(kind: NodeKind, taken: ReadonlyArray<{ id: string }>): string {
  const ids = new Set(taken.map((n) => n.id));
  if (!ids.has(kind)) return kind;
  for (let i = 2; ; i++) if (!ids.has(`${kind}_${i}`)) return `${kind}_${i}`;
}

/**
 * The `when` a new edge out of a branching node gets: out of a condition `true`, then `false`,
 * then `default`; out of a gate `approved`, then `rejected`.
 */
export function defaultWhen(design: Design, source: string): string | undefined {
  const from = design.nodes.find((n) => n.id === source);
  if (!from || !BRANCHING_KINDS.has(from.kind)) return undefined;
  const used = new Set(design.edges.filter((e) => e.source === source).map((e) => e.when));
  const choices: readonly string[] = from.kind === 'human_gate' ? GATE_DECISIONS : ['true', 'false', 'default'];
  return choices.find((w) => !used.has(w)) ?? choices[choices.length - 1];
}

/** The server's issues, by the node or edge they name; issues naming neither are the graph's. */
export interface IssuesByTarget {
  nodes: Map<string, string[]>;
  edges: Map<string, string[]>;
  graph: string[];
}

export function issuesByTarget(issues: readonly ProblemIssue[] | undefined): IssuesByTarget {
  const out: IssuesByTarget = { nodes: new Map(), edges: new Map(), graph: [] };
  for (const i of issues ?? []) {
    if (i.nodeId) out.nodes.set(i.nodeId, [...(out.nodes.get(i.nodeId) ?? []), i.message]);
    else if (i.edge) {
      const id = edgeId(i.edge.from, i.edge.to);
      out.edges.set(id, [...(out.edges.get(id) ?? []), i.message]);
    } else out.graph.push(`${i.path}: ${i.message}`);
  }
  return out;
}
