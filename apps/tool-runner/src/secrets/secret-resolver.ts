import { FlowstackError, Rpc, type RequestContext, type SealedCredential } from '@flowstack/contracts';
import type { RpcClient } from '@flowstack/messaging';
import { open, type Keyring } from '@flowstack/vault';
import { NodeFailure } from '../work/node-failure';

/** The actor the registry expects on the tool-runner's reads. */
const ACTOR = { id: 'tool-runner', type: 'system' } as const;

/** `secrets.<name>` (and `secrets["<name>"]`) in a template text: the credentials it references. */
const SECRET_REFERENCE = /(?<![\w$.])secrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\])/g;

/** Every credential name that the strings anywhere in `value` reference as `secrets.<name>`. */
export function referencedSecrets(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(SECRET_REFERENCE)) into.add(m[1] ?? m[2]);
  } else if (Array.isArray(value)) {
    for (const v of value) referencedSecrets(v, into);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) referencedSecrets(v, into);
  }
  return into;
}

/**
 * Opens the credentials a tool references by name (`{{ secrets.<name> }}`), in the task's
 * workspace only: a string value as is, any other kind's value (`basic_auth`, `header` ...) as
 * its JSON. Only the names asked for are fetched, so a template sees no other secret.
 */
export class SecretResolver {
  constructor(
    private readonly rpc: RpcClient,
    private readonly keyring: Keyring | undefined,
  ) {}

  async resolve(workspaceId: string, names: Iterable<string>, correlationId: string): Promise<Record<string, string>> {
    const wanted = [...new Set(names)];
    if (wanted.length === 0) return {};
    const keyring = this.keyring;
    if (!keyring) throw new NodeFailure('vault_unavailable', 'FLOWSTACK_MASTER_KEY is not set on this tool-runner', true);
    const ctx: RequestContext = { workspaceId, actor: { ...ACTOR }, correlationId };
    const entries = await Promise.all(
      wanted.map(async (name): Promise<[string, string]> => {
        let sealed: SealedCredential;
        try {
          sealed = await this.rpc.request<SealedCredential>(Rpc.registry.credentialSealed, { name }, ctx);
        } catch (e) {
          if (e instanceof FlowstackError && (e.code === 'not_found' || e.code === 'validation_failed')) {
            throw new NodeFailure('credential_not_found', `secrets.${name}: no credential of that name in this workspace`);
          }
          throw new NodeFailure('registry_unavailable', `reading secrets.${name} failed: ${(e as Error).message}`, true);
        }
        if (sealed.workspaceId !== workspaceId) {
          throw new NodeFailure('credential_not_found', `secrets.${name}: no credential of that name in this workspace`);
        }
        let plaintext: string;
        try {
          plaintext = open(keyring, { workspaceId, credentialId: sealed.id }, sealed.sealed);
        } catch (e) {
          throw new NodeFailure('credential_undecryptable', (e as Error).message);
        }
        const value: unknown = JSON.parse(plaintext);
        return [name, typeof value === 'string' ? value : JSON.stringify(value)];
      }),
    );
    return Object.fromEntries(entries);
  }
}

/** Replaces every secret value in `text` by `***` (output, errors and log lines never carry one). */
export function redactSecrets(text: string, secrets: Record<string, string>): string {
  let out = text;
  for (const value of Object.values(secrets)) if (value.length >= 4) out = out.split(value).join('***');
  return out;
}

/** What a tool needs of the vault: the named credentials of a workspace (a `SecretResolver`). */
export type SecretSource = Pick<SecretResolver, 'resolve'>;

/** `redactSecrets` over every string of a value (keys included), for outputs and failure details. */
export function redactValue<T>(value: T, secrets: Record<string, string>): T {
  if (Object.keys(secrets).length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactSecrets(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactSecrets(k, secrets), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Runs `work` with the secrets a tool's config references, and keeps their values out of what
 * comes back: the output and any failure (message and details) have each value replaced by `***`.
 * Without a vault a config that references none runs as is; one that does fails `vault_unavailable`.
 */
export async function withSecrets<T>(
  source: SecretSource | undefined,
  config: unknown,
  workspaceId: string,
  correlationId: string,
  work: (secrets: Record<string, string>) => Promise<T>,
): Promise<T> {
  const names = referencedSecrets(config);
  if (names.size > 0 && !source) {
    throw new NodeFailure('vault_unavailable', 'this runner has no vault to resolve secrets.<name> references', true);
  }
  const secrets = source && names.size > 0 ? await source.resolve(workspaceId, names, correlationId) : {};
  try {
    return redactValue(await work(secrets), secrets);
  } catch (e) {
    if (Object.keys(secrets).length === 0) throw e;
    if (e instanceof NodeFailure) {
      throw new NodeFailure(
        e.code,
        redactSecrets(e.message, secrets),
        e.retryable,
        e.details === undefined ? undefined : redactValue(e.details, secrets),
      );
    }
    // Any other error keeps its class (callers classify it) with the values out of its text.
    if (e instanceof Error) {
      e.message = redactSecrets(e.message, secrets);
      if (e.stack) e.stack = redactSecrets(e.stack, secrets);
    }
    throw e;
  }
}
