import { FlowstackError, Rpc, type RequestContext, type SealedCredential } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { open, type Keyring } from '@flowstack/vault';
import { NodeFailure } from '../work/node-failure';

/**
 * The headers a credential of this workspace stands for, opened in the runner only (never logged,
 * never in an output or event): `bearer_token` and `api_key` -> `Authorization: Bearer <value>`,
 * `basic_auth` -> `Authorization: Basic ...`, `header` -> that one header, `mcp_headers` -> all of them.
 */
export async function credentialHeaders(
  rpc: RpcClient,
  keyring: Keyring | undefined,
  ctx: RequestContext,
  credentialId: string,
): Promise<Record<string, string>> {
  let sealed: SealedCredential;
  try {
    sealed = await rpc.request<SealedCredential>(Rpc.registry.credentialSealed, { id: credentialId }, ctx);
  } catch (e) {
    if (e instanceof FlowstackError && e.code === 'not_found') {
      throw new NodeFailure('credential_not_found', `credential ${credentialId} does not exist in this workspace`);
    }
    throw new NodeFailure('registry_unavailable', `reading credential ${credentialId} failed: ${(e as Error).message}`, true);
  }
  if (sealed.workspaceId !== ctx.workspaceId) {
    throw new NodeFailure('credential_not_found', `credential ${credentialId} is not in this workspace`);
  }
  if (!keyring) throw new NodeFailure('vault_unavailable', 'FLOWSTACK_MASTER_KEY is not set on this tool-runner', true);
  let value: unknown;
  try {
    value = JSON.parse(open(keyring, { workspaceId: sealed.workspaceId, credentialId: sealed.id }, sealed.sealed));
  } catch (e) {
    throw new NodeFailure('credential_undecryptable', (e as Error).message);
  }
  switch (sealed.kind) {
    case 'api_key':
    case 'bearer_token':
      return { authorization: `Bearer ${String(value)}` };
    case 'basic_auth': {
      const { username, password } = value as { username: string; password: string };
      return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
    }
    case 'header': {
      const { name, value: v } = value as { name: string; value: string };
      return { [name.toLowerCase()]: v };
    }
    case 'mcp_headers':
      return Object.fromEntries(Object.entries(value as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    default:
      throw new NodeFailure('credential_kind_unsupported', `credential "${sealed.name}" is of kind ${String(sealed.kind)}`);
  }
}
