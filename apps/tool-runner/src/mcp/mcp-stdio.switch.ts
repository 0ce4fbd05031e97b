import { Rpc, type RequestContext, type WorkspaceSettings } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { NodeFailure } from '../work/node-failure';

/**
 * Reads the workspace's stdio switch (`mcp.stdio` of its settings, `registry.workspace.settings.get`)
 * on every stdio connect, as the `system` actor `tool-runner`: never cached, so an admin switching
 * it off stops the next connect.
 */
export const mcpStdioSwitch =
  (rpc: RpcClient) =>
  async (ctx: RequestContext): Promise<boolean> => {
    const asRunner: RequestContext = { ...ctx, actor: { id: 'tool-runner', type: 'system' } };
    try {
      return (await rpc.request<WorkspaceSettings>(Rpc.registry.workspaceSettingsGet, {}, asRunner)).mcp?.stdio === true;
    } catch (e) {
      throw new NodeFailure(
        'registry_unavailable',
        `reading the workspace's stdio setting failed: ${(e as Error).message}`,
        true,
      );
    }
  };
