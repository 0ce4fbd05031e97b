import {
  fieldPath,
  graphDefaultsSchema,
  NODE_TYPES,
  RUNNABLE_NODE_TYPES,
  type FieldError,
  type WorkflowGraph,
} from '@flowstack/contracts';
import { checkEdges } from './graph-edges.rules';
import { checkTopology } from './graph-topology.rules';
import { findJsonSchemaErrors } from './json-schema.rules';
import { checkNodeConfig } from './node-config.rules';
import { checkGateEdges } from './gate.rules';

export interface ValidateGraphOptions {
  /** Node types this deployment can run; default `RUNNABLE_NODE_TYPES`. */
  runnableTypes?: readonly string[];
}

/**
 * Every reason a workflow graph cannot be saved, or `[]` when it is valid (ARCHITECTURE.md
 * section 5). Pure and linear in nodes + edges; the registry adds the checks that need the
 * workspace (referenced tools, agents, credentials exist).
 *
 * Each error has a `rule`, a `path` relative to the graph (`nodes[3].type`, `edges[1].to`,
 * `entry_point`), `nodeId`/`edge` where one is at fault, and a message naming it. Rules:
 * `duplicate_node_id`, `unknown_node_type`, `unsupported_node_type`, `invalid_node_config`,
 * `dangling_edge`, `self_loop`, `duplicate_edge`, `when_on_non_condition_edge`, `invalid_gate_edge`,
 * `missing_entry_point`, `entry_point_has_incoming_edge`, `multiple_entry_points`, `cycle`,
 * `unreachable_node`, `invalid_input_schema`, `invalid_defaults`. Cycle and reachability checks are skipped while an
 * edge dangles, as they would only report consequences of it.
 *
 * The input is assumed to have the `WorkflowGraph` shape (the gateway's `graphSchema` checks it).
 */
export function validateGraph(graph: WorkflowGraph, options: ValidateGraphOptions = {}): FieldError[] {
  const runnable = new Set<string>(options.runnableTypes ?? RUNNABLE_NODE_TYPES);
  const errors: FieldError[] = [];
  const indexById = checkNodes(graph, runnable, errors);
  const edges = checkEdges(graph, indexById, errors);
  checkGateEdges(graph, errors);
  checkTopology(graph, indexById, edges, errors);
  if (graph.input_schema !== undefined) {
    errors.push(...findJsonSchemaErrors(graph.input_schema, 'input_schema', 'invalid_input_schema', 'input_schema'));
  }
  if (graph.defaults !== undefined) errors.push(...defaultsErrors(graph.defaults));
  return errors;
}

/** `defaults` (retry policy, attempt timeout for every node): `invalid_defaults` with the field's path. */
function defaultsErrors(defaults: unknown): FieldError[] {
  const parsed = graphDefaultsSchema.safeParse(defaults);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = fieldPath(issue.path, 'defaults');
    return { path, rule: 'invalid_defaults', message: `${path}: ${issue.message}` };
  });
}

const KNOWN_TYPES: ReadonlySet<string> = new Set(NODE_TYPES);

/** Node-level rules; returns each id's first node index (later duplicates are errors). */
function checkNodes(graph: WorkflowGraph, runnable: ReadonlySet<string>, errors: FieldError[]): Map<string, number> {
  const indexById = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    const first = indexById.get(node.id);
    if (first === undefined) {
      indexById.set(node.id, i);
    } else {
      errors.push({
        path: `nodes[${i}].id`,
        rule: 'duplicate_node_id',
        nodeId: node.id,
        message: `node ${i} has id "${node.id}", already used by node ${first}`,
      });
    }
    if (!KNOWN_TYPES.has(node.type)) {
      errors.push({
        path: `nodes[${i}].type`,
        rule: 'unknown_node_type',
        nodeId: node.id,
        message: `node "${node.id}" has unknown type "${node.type}" (known types: ${NODE_TYPES.join(', ')})`,
      });
    } else if (!runnable.has(node.type)) {
      errors.push({
        path: `nodes[${i}].type`,
        rule: 'unsupported_node_type',
        nodeId: node.id,
        message: `node "${node.id}" has type "${node.type}", which is not available yet (available: ${[...runnable].join(', ')})`,
      });
    } else {
      errors.push(...checkNodeConfig(node, i));
    }
  });
  return indexById;
}
