import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { Namespace, Role } from '@flowstack/contracts';
import { streamReplicas } from '../stream-replicas';

/**
 * The two JetStream KV buckets through which identity tells every gateway replica what it needs
 * to authenticate a call without asking identity: revoked token ids and memberships. Identity
 * writes them (after its own commit), gateways watch them into memory.
 *
 * - `<ns>_REVOCATIONS`: key = the token's `jti`, value `{ exp }` (the token's own expiry, seconds).
 *   The bucket's max age is at least the token lifetime, so an entry outlives the token it revokes
 *   and then goes away by itself (NATS 2.9 has no per-key TTL).
 * - `<ns>_MEMBERSHIPS`: key = `<userId>.<workspaceId>`, value `{ role }`; a removed membership is a
 *   delete. One value per key (history 1): the bucket is the current state, not a log.
 * - `<ns>_API_KEYS`: key = the API key's keyed hash (`apiKeyHash`), value `ApiKeyValue`; a revoked
 *   key is a delete. The key itself is never on the bus.
 */
export type AuthBucket = 'REVOCATIONS' | 'MEMBERSHIPS' | 'API_KEYS';

const bucketPrefix = (ns: Namespace): string => (ns.prefix ? `${ns.prefix.replace(/[^A-Za-z0-9_-]/g, '_')}_` : '');

/** `<ns>_REVOCATIONS` / `<ns>_MEMBERSHIPS` (no prefix in production). */
export const authBucketName = (ns: Namespace, bucket: AuthBucket): string => `${bucketPrefix(ns)}${bucket}`;

/** The JetStream stream behind a KV bucket (`KV_<bucket>`). */
export const authStreamName = (ns: Namespace, bucket: AuthBucket): string => `KV_${authBucketName(ns, bucket)}`;

/** What a revocation entry holds: the revoked token's `exp` (seconds since the epoch). */
export interface RevocationValue {
  exp: number;
}

/** What a membership entry holds. */
export interface MembershipValue {
  role: Role;
}

export const revocationKey = (jti: string): string => jti.toLowerCase();

export const membershipKey = (userId: string, workspaceId: string): string =>
  `${userId.toLowerCase()}.${workspaceId.toLowerCase()}`;

/** `<userId>.<workspaceId>` back into its parts; undefined for a key of another shape. */
export function parseMembershipKey(key: string): { userId: string; workspaceId: string } | undefined {
  const parts = key.split('.');
  return parts.length === 2 && parts[0] && parts[1] ? { userId: parts[0], workspaceId: parts[1] } : undefined;
}

/** What an API key entry holds: enough for a gateway to act as the key without asking identity. */
export interface ApiKeyValue {
  keyId: string;
  workspaceId: string;
  role: Role;
  /** The user who created it: the key never acts above that user's current role in the workspace. */
  createdBy: string;
  /** Seconds since the epoch; null: no expiry. */
  expiresAt: number | null;
}

/** Opened buckets of a namespace. */
export interface AuthBuckets {
  revocations: KV;
  memberships: KV;
  apiKeys: KV;
}

export interface EnsureAuthBucketsOptions {
  /**
   * The revocations' max age in ms: identity passes its token lifetime plus a margin, and raises
   * an existing bucket's max age to it when lower (a longer `JWT_TTL` than the bucket was made
   * for). Absent (the gateway): a missing bucket is created without one, for identity to set.
   */
  revocationTtlMs?: number;
}

/**
 * Creates the buckets if missing and opens them (idempotent; safe when identity and gateways start
 * together: whoever loses the race to create opens what the other made).
 */
export async function ensureAuthBuckets(
  nc: NatsConnection,
  ns: Namespace,
  options: EnsureAuthBucketsOptions = {},
): Promise<AuthBuckets> {
  const kvm = new Kvm(nc);
  const ttl = options.revocationTtlMs;
  const revocations = await createOrOpen(kvm, authBucketName(ns, 'REVOCATIONS'), {
    history: 1,
    ...(ttl ? { ttl } : {}),
    description: 'Flowstack revoked token ids (identity writes, gateways watch)',
  });
  if (ttl) await raiseMaxAge(nc, authStreamName(ns, 'REVOCATIONS'), ttl);
  const memberships = await createOrOpen(kvm, authBucketName(ns, 'MEMBERSHIPS'), {
    history: 1,
    description: 'Flowstack memberships and roles (identity writes, gateways watch)',
  });
  const apiKeys = await createOrOpen(kvm, authBucketName(ns, 'API_KEYS'), {
    history: 1,
    description: 'Flowstack API key hashes (identity writes, gateways watch)',
  });
  return { revocations, memberships, apiKeys };
}

async function createOrOpen(kvm: Kvm, name: string, opts: { history: number; ttl?: number; description: string }): Promise<KV> {
  try {
    return await kvm.create(name, { ...opts, replicas: streamReplicas() });
  } catch (e) {
    // Another process created the stream between our look-up and our create.
    if (!/already in use|exists/i.test((e as Error).message)) throw e;
    return kvm.create(name, { ...opts, replicas: streamReplicas() });
  }
}

/** Raises the stream's max age to `ttlMs` when it has a lower, non-zero one... or none at all. */
async function raiseMaxAge(nc: NatsConnection, stream: string, ttlMs: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const wanted = ttlMs * 1_000_000;
  const current = info.config.max_age ?? 0;
  // 0 is "forever": a bucket the gateway created before identity ever ran; bounded from now on.
  if (current !== 0 && current >= wanted) return;
  await jsm.streams.update(stream, { ...info.config, max_age: wanted });
}
