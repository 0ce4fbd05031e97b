import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import type { McpDiscovery, ToolKind } from '@flowstack/contracts';

const ToolSchema = defineEntity({
  name: 'Tool',
  schema: 'registry',
  tableName: 'tools',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspaceId: p.uuid(),
    name: p.string(),
    /** `toolModelName(name)`: the function name models see; unique among the workspace's live tools. */
    modelName: p.string(),
    description: p.text().nullable(),
    kind: p.string().$type<ToolKind>(),
    config: p.json<Record<string, unknown>>(),
    inputSchema: p.json<Record<string, unknown>>(),
    /** `config.credentialId` of an mcp tool, as a column so a credential in use cannot be deleted. */
    credentialId: p.uuid().nullable(),
    /** Kind `mcp`: the definitions the last `POST /tools/{id}/discover` pinned. */
    mcpDiscovery: p.json<McpDiscovery>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate((t: { createdAt?: Date }) => t.createdAt ?? new Date())
      .onUpdate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

/** A registered tool an agent or a tool node can call. */
export class Tool extends ToolSchema.class {}
ToolSchema.setClass(Tool);

const AgentToolSchema = defineEntity({
  name: 'AgentTool',
  schema: 'registry',
  tableName: 'agent_tools',
  properties: {
    agentId: p.uuid().primary(),
    toolId: p.uuid().primary(),
    workspaceId: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

/** A tool linked to an agent: offered to the agent's model on every run. */
export class AgentTool extends AgentToolSchema.class {}
AgentToolSchema.setClass(AgentTool);
