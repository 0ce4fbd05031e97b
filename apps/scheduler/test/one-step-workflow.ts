import { Rpc, type RequestContext, type WorkflowView } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';

/** Creates, through the registry, the workflow the fire-loop specs schedule: input -> output `value`. */
export async function createOneStepWorkflow(rpc: RpcClient, ctx: RequestContext, name: string, value: string): Promise<string> {
  const workflow = await rpc.request<WorkflowView>(
    Rpc.registry.workflowCreate,
    {
      name,
      graph: {
        entry_point: 'start',
        nodes: [
          { id: 'start', type: 'input', config: {} },
          { id: 'end', type: 'output', config: { value } },
        ],
        edges: [{ from: 'start', to: 'end' }],
      },
    },
    ctx,
  );
  return workflow.id;
}
