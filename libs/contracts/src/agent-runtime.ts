import type { AgentView } from './agents';
import { Limits } from './limits';
import type { Page } from './rpc-payloads';
import type { SealedCredential } from './credentials';
import type { AgentToolView } from './tools';

/** Linked tools in the first page of an `AgentRuntime` (later pages: `registry.agent.tool.list`). */
export const AGENT_RUNTIME_TOOLS_PAGE = 200;

/**
 * The most JSON bytes the agent and its sealed credential may take for the answer to carry a page
 * of tools too. A tools page fills up to `Limits.requestBodyBytes` (768 KiB), so the rest of a bus
 * message, less room for the envelope and headers, is what is left; an agent with a longer
 * system prompt (up to 200,000 characters, 600 KB of UTF-8) or credential comes without its tools.
 */
export const AGENT_RUNTIME_ROOM_BYTES = Limits.busMessageBytes - Limits.requestBodyBytes - 64 * 1024;

/**
 * `registry.agent.runtime`: what the tool-runner reads to run an `agent_call` node, in one round
 * trip instead of three sequential and parallel reads (the agent, then its tools and credential).
 */
export interface AgentRuntime {
  agent: AgentView;
  /**
   * The first page of its linked tools, as `registry.agent.tool.list` answers it with
   * `limit: AGENT_RUNTIME_TOOLS_PAGE`; `nextCursor` continues there. `null` when the agent and
   * its credential are too large to share one bus message with a page (`AGENT_RUNTIME_ROOM_BYTES`):
   * the tools are then read from `registry.agent.tool.list` from the start.
   */
  tools: Page<AgentToolView> | null;
  /**
   * Its credential, sealed. `null` when the agent has none, or when the one it names is gone
   * (deleted, or not in this workspace): the runner tells those apart by `agent.credentialId`.
   */
  credential: SealedCredential | null;
}
