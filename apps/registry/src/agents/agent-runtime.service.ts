import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AGENT_RUNTIME_ROOM_BYTES, AGENT_RUNTIME_TOOLS_PAGE, type AgentRuntime } from '@flowstack/contracts';
import type { WorkspaceScope } from '@flowstack/orm';
import { findSealedCredential } from '../credentials/sealed-credential.query';
import { AgentToolsService } from './agent-tools.service';
import { toAgentView } from './agent.views';
import { findLiveAgent } from './agents.service';

/**
 * `registry.agent.runtime`: the agent, the first page of its tools and its sealed credential in
 * one answer. An `agent_call` used to cost the tool-runner three requests in two rounds (the
 * agent, then its tools and its credential), and the registry as many decodes, contexts and
 * replies; under a burst of agent runs those were a fifth to a half of the registry's CPU.
 */
@Injectable()
export class AgentRuntimeService {
  constructor(
    private readonly em: EntityManager,
    private readonly links: AgentToolsService,
  ) {}

  async runtime(scope: WorkspaceScope, id: string): Promise<AgentRuntime> {
    const agent = toAgentView(await findLiveAgent(this.em.fork(), scope, id));
    const [page, credential] = await Promise.all([
      this.links.page(this.em.fork(), scope, agent.id, { limit: AGENT_RUNTIME_TOOLS_PAGE }),
      agent.credentialId ? findSealedCredential(this.em.fork(), scope.workspaceId, { id: agent.credentialId }) : undefined,
    ]);
    // The answer stays one bus message whatever the agent's size: a page of tools fills up to
    // 768 KiB, and a system prompt alone can be 600 KB (a credential's headers as much). Such an
    // agent comes without its tools; the runner reads them with the tool list.
    const rest = Buffer.byteLength(JSON.stringify(agent)) + (credential ? Buffer.byteLength(JSON.stringify(credential)) : 0);
    const tools = rest <= AGENT_RUNTIME_ROOM_BYTES ? page : null;
    return { agent, tools, credential: credential ?? null };
  }
}
