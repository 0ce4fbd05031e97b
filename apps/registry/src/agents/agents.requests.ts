import { z } from 'zod';
import { linkAgentToolSchema, listQuerySchema, updateAgentSchema } from '@flowstack/contracts';

/** `{ id }` of get and delete; an id that is not a uuid answers `not_found`, like an unknown one. */
export const agentIdSchema = z.object({ id: z.string().max(200) });

export const updateAgentRequestSchema = z.intersection(agentIdSchema, updateAgentSchema);

/** `registry.agent.tool.link`. */
export const agentToolLinkRequestSchema = z.intersection(z.object({ agentId: z.string().max(200) }), linkAgentToolSchema);

/** `registry.agent.tool.unlink`. */
export const agentToolUnlinkRequestSchema = z.object({ agentId: z.string().max(200), toolId: z.string().max(200) });

/** `registry.agent.tool.list`: the agent and the list query. */
export const agentToolListRequestSchema = z.intersection(z.object({ agentId: z.string().max(200) }), listQuerySchema);
