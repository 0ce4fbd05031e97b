/**
 * A workflow version's graph (ARCHITECTURE.md section 5), compatible with the seeds'
 * `graph_definition`. Stored immutably per version; an execution pins the version it started with.
 */
import type { GraphDefaults } from './retry-policy';

export const NODE_TYPES = [
  'input',
  'validation',
  'transform',
  'condition',
  'tool',
  'agent_call',
  'human_gate',
  'delay',
  'sub_workflow',
  'output',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

/** Node types that this release can run; the others are known names reserved for later releases. */
export const RUNNABLE_NODE_TYPES: readonly NodeType[] = [
  'input',
  'transform',
  'condition',
  'validation',
  'tool',
  'agent_call',
  'human_gate',
  'delay',
  'sub_workflow',
  'output',
];

export interface GraphNode {
  id: string;
  type: NodeType;
  label?: string;
  config?: Record<string, unknown>;
}

export interface GraphEdge {
  from: string;
  to: string;
  /**
   * On edges leaving a `condition`: the value (as a string) that takes this edge, or `default`. On
   * edges leaving a `human_gate`: `approved` or `rejected`.
   */
  when?: string;
}

export interface WorkflowGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  entry_point: string;
  /** JSON Schema (draft 2020-12 or 07) the execution input must satisfy. */
  input_schema?: Record<string, unknown>;
  /**
   * What every node gets unless its own config says otherwise: `retry` (a retry policy, see
   * `retryPolicySchema`) and `timeoutMs` (each attempt's start-to-close timeout).
   */
  defaults?: GraphDefaults;
}
