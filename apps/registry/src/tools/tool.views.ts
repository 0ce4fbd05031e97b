import type { AgentToolView, ToolView } from '@flowstack/contracts';
import type { Tool } from './tool.entity';

export const toToolView = (t: Tool): ToolView => ({
  id: t.id,
  name: t.name,
  modelName: t.modelName,
  ...(t.description != null ? { description: t.description } : {}),
  kind: t.kind,
  config: t.config,
  inputSchema: t.inputSchema,
  ...(t.mcpDiscovery ? { mcp: t.mcpDiscovery } : {}),
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

export const toAgentToolView = (t: Tool, linkedAt: Date): AgentToolView => ({
  ...toToolView(t),
  linkedAt: linkedAt.toISOString(),
});
