import { FlowstackError, Rpc, type RequestContext, type WorkspaceSettings } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { NodeFailure } from '../work/node-failure';

/** What a workspace's admin allowed of the sandbox: each kind, and the network for them. */
export interface SandboxPermissions {
  python: boolean;
  shell: boolean;
  network: boolean;
}

/** Answers whether a workspace may run sandboxed tools (`WorkspaceSettings.sandboxedTools`). */
export interface SandboxPolicy {
  settingsOf(workspaceId: string): Promise<SandboxPermissions>;
}

/** How long a workspace's answer that enables something is reused: switching off reaches every runner within this. */
export const SANDBOX_POLICY_TTL_MS = 2_000;

/**
 * Reads `registry.workspace.settings.get` as the `system` actor `tool-runner`; an answer that
 * enables a kind is cached per workspace for `SANDBOX_POLICY_TTL_MS` (one with everything off is not). A registry that does not answer fails the attempt with
 * `registry_unavailable` (retryable): never run a sandbox on a guess.
 */
export class RegistrySandboxPolicy implements SandboxPolicy {
  private readonly cache = new Map<string, { at: number; value: SandboxPermissions }>();

  constructor(private readonly rpc: RpcClient) {}

  async settingsOf(workspaceId: string): Promise<SandboxPermissions> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < SANDBOX_POLICY_TTL_MS) return hit.value;
    const ctx: RequestContext = { workspaceId, actor: { id: 'tool-runner', type: 'system' }, correlationId: workspaceId };
    let settings: WorkspaceSettings;
    try {
      settings = await this.rpc.request<WorkspaceSettings>(Rpc.registry.workspaceSettingsGet, {}, ctx);
    } catch (e) {
      const why = e instanceof FlowstackError ? e.message : (e as Error).message;
      throw new NodeFailure('registry_unavailable', `reading the workspace's settings failed: ${why}`, true);
    }
    const value = { ...settings.sandboxedTools };
    // Only what allows something is reused: a kind an admin just enabled runs at once, one just
    // disabled stops within the TTL.
    if (!value.python && !value.shell) return value;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(workspaceId, { at: Date.now(), value });
    return value;
  }
}
