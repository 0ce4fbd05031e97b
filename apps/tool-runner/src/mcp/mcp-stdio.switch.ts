import { Rpc, type McpStdioSetting, type RequestContext } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { NodeFailure } from '../work/node-failure';

/** Reads the workspace's stdio switch from the registry (`registry.mcpStdio.get`) on every stdio connect. */
export const mcpStdioSwitch =
  (rpc: RpcClient) =>
  async (ctx: RequestContext): Promise<boolean> => {
    try {
      return (await rpc.request<McpStdioSetting>(Rpc.registry.mcpStdioGet, {}, ctx)).enabled === true;
    } catch (e) {
      throw new NodeFailure(
        'registry_unavailable',
        `reading the workspace's stdio setting failed: ${(e as Error).message}`,
        true,
      );
    }
  };
