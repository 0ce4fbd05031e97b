import type { EntityManager } from '@mikro-orm/postgresql';
import { FlowstackError, type FieldError, type WorkflowGraph } from '@flowstack/contracts';
import { isUuid } from '@flowstack/orm';

/** One id a node names, and where in the request it stands. */
interface Reference {
  table: 'tools' | 'agents' | 'workflows';
  id: string;
  path: string;
  nodeId: string;
}

/**
 * The registered tools, agents and workflows a graph names: `tool` `config.toolId`, `agent_call`
 * `config.agentId` and `config.tools[]`, `sub_workflow` `config.workflowId`.
 */
function referencesOf(graph: WorkflowGraph): Reference[] {
  const refs: Reference[] = [];
  graph.nodes.forEach((node, i) => {
    const config = node.config ?? {};
    const at = `graph.nodes[${i}].config`;
    if (node.type === 'tool' && typeof config.toolId === 'string') {
      refs.push({ table: 'tools', id: config.toolId, path: `${at}.toolId`, nodeId: node.id });
    }
    if (node.type === 'sub_workflow' && typeof config.workflowId === 'string') {
      refs.push({ table: 'workflows', id: config.workflowId, path: `${at}.workflowId`, nodeId: node.id });
    }
    if (node.type === 'agent_call') {
      if (typeof config.agentId === 'string')
        refs.push({ table: 'agents', id: config.agentId, path: `${at}.agentId`, nodeId: node.id });
      if (Array.isArray(config.tools)) {
        config.tools.forEach((t, j) => {
          if (typeof t === 'string') refs.push({ table: 'tools', id: t, path: `${at}.tools[${j}]`, nodeId: node.id });
        });
      }
    }
  });
  return refs;
}

/**
 * Every registered tool and agent the graph names must be live in the workspace
 * (ARCHITECTURE.md section 5), checked in the saving transaction. Throws `invalid_graph` with one
 * error per dangling id (rule `unknown_tool` / `unknown_agent` / `unknown_workflow`, the node's id
 * and path; a workflow may name itself, which its first save cannot: add the node in a later version); another
 * workspace's tool is as unknown as a made-up id.
 */
export async function assertGraphReferences(em: EntityManager, workspaceId: string, graph: WorkflowGraph): Promise<void> {
  const refs = referencesOf(graph);
  if (refs.length === 0) return;
  const live = new Set<string>();
  for (const table of ['tools', 'agents', 'workflows'] as const) {
    const ids = [...new Set(refs.filter((r) => r.table === table && isUuid(r.id)).map((r) => r.id.toLowerCase()))];
    if (ids.length === 0) continue;
    const rows = await em.execute<{ id: string }[]>(
      `select id from registry.${table} where workspace_id = ? and deleted_at is null and id = any(?::uuid[])`,
      [workspaceId, `{${ids.join(',')}}`],
      'all',
    );
    for (const row of rows) live.add(`${table}:${row.id}`);
  }
  const errors: FieldError[] = refs
    .filter((r) => !live.has(`${r.table}:${r.id.toLowerCase()}`))
    .map((r) => {
      const what = r.table === 'tools' ? 'tool' : r.table === 'agents' ? 'agent' : 'workflow';
      return {
        path: r.path,
        nodeId: r.nodeId,
        rule: `unknown_${what}`,
        message: `no ${what} with id "${r.id}" in this workspace`,
      };
    });
  if (errors.length > 0) throw new FlowstackError('invalid_graph', 'workflow graph is invalid', errors);
}
