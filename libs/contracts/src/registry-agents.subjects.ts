/**
 * Request-reply subjects of the registry's agent resources (credentials, agents, tools and the
 * links between agents and tools), spread into `Rpc.registry`. Kept in a file of their own so the
 * subject list of workflows and of these resources can grow without touching each other.
 */
export const REGISTRY_AGENT_SUBJECTS = {
  credentialCreate: 'registry.credential.create',
  credentialGet: 'registry.credential.get',
  credentialList: 'registry.credential.list',
  credentialUpdate: 'registry.credential.update',
  credentialDelete: 'registry.credential.delete',
  /**
   * `{ id } | { name }` -> `SealedCredential`: the sealed value, for the tool-runner to open with
   * `@flowstack/vault`. Only the tool-runner may publish to it (`bus-permissions.ts`); the registry
   * also refuses any actor but the `system` actor `tool-runner`.
   */
  credentialSealed: 'registry.credential.sealed',
  agentCreate: 'registry.agent.create',
  agentGet: 'registry.agent.get',
  agentList: 'registry.agent.list',
  agentUpdate: 'registry.agent.update',
  agentDelete: 'registry.agent.delete',
  toolCreate: 'registry.tool.create',
  toolGet: 'registry.tool.get',
  toolList: 'registry.tool.list',
  toolUpdate: 'registry.tool.update',
  toolDelete: 'registry.tool.delete',
  agentToolLink: 'registry.agent.tool.link',
  agentToolUnlink: 'registry.agent.tool.unlink',
  agentToolList: 'registry.agent.tool.list',
  /**
   * `{ id }` -> `AgentRuntime`: what the tool-runner needs to run the agent, in one round trip
   * (the agent, the first page of its tools, its credential sealed). Carries a sealed value, so
   * like `credentialSealed` it is the tool-runner's only (bus permissions and the actor check).
   */
  agentRuntime: 'registry.agent.runtime',
  /** `{}` -> `WorkspaceSettings` of the request's workspace (what an admin enabled). */
  workspaceSettingsGet: 'registry.workspace.settings.get',
  /** `UpdateWorkspaceSettingsRequest` -> `WorkspaceSettings`; admins only. */
  workspaceSettingsUpdate: 'registry.workspace.settings.update',
} as const;

/**
 * What the tool-runner reads to run an `agent_call` node: the agent's runtime (the agent, its first
 * page of tools and its sealed credential), further pages of its tools, extra tools by id, sealed
 * credentials by name (templates' `secrets`), and the workspace's settings. Reads only, in the
 * task's workspace, as the `system` actor `tool-runner`.
 */
export const TOOL_RUNNER_AGENT_SUBJECTS: readonly string[] = [
  REGISTRY_AGENT_SUBJECTS.agentRuntime,
  REGISTRY_AGENT_SUBJECTS.agentToolList,
  REGISTRY_AGENT_SUBJECTS.toolGet,
  REGISTRY_AGENT_SUBJECTS.credentialSealed,
  REGISTRY_AGENT_SUBJECTS.workspaceSettingsGet,
];

/** The tool-runner's alone: they answer sealed credential values. */
const SEALED_VALUE_SUBJECTS = new Set(['credentialSealed', 'agentRuntime']);

/** The agent-resource subjects the gateway calls: all of them but those answering sealed values. */
export const GATEWAY_AGENT_SUBJECTS: readonly string[] = Object.entries(REGISTRY_AGENT_SUBJECTS)
  .filter(([key]) => !SEALED_VALUE_SUBJECTS.has(key))
  .map(([, name]) => name);
