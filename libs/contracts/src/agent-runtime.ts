import type { AgentView } from './agents';
import type { Page } from './rpc-payloads';
import type { SealedCredential } from './credentials';
import type { AgentToolView } from './tools';

/** Linked tools in the first page of an `AgentRuntime` (later pages: `registry.agent.tool.list`). */
export const AGENT_RUNTIME_TOOLS_PAGE = 200;

/**
 * `registry.agent.runtime`: what the tool-runner reads to run an `agent_call` node, in one round
 * trip instead of three sequential and parallel reads (the agent, then its tools and credential).
 */
export interface AgentRuntime {
  agent: AgentView;
  /**
   * The first page of its linked tools, as `registry.agent.tool.list` answers it with
   * `limit: AGENT_RUNTIME_TOOLS_PAGE`; `nextCursor` continues there.
   */
  tools: Page<AgentToolView>;
  /**
   * Its credential, sealed. `null` when the agent has none, or when the one it names is gone
   * (deleted, or not in this workspace): the runner tells those apart by `agent.credentialId`.
   */
  credential: SealedCredential | null;
}
