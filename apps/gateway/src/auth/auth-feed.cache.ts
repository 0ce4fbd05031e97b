import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KvEntry } from '@nats-io/kv';
import type { Namespace, Role } from '@flowstack/contracts';
import {
  BucketMirror,
  NAMESPACE,
  NATS_CONNECTION,
  ensureAuthBuckets,
  parseMembershipKey,
  type ApiKeyValue,
  type MembershipValue,
  type RevocationValue,
} from '@flowstack/messaging';

const ROLES: ReadonlySet<string> = new Set<Role>(['admin', 'editor', 'viewer']);
/** How often revocations of tokens that have expired anyway are dropped from memory. */
const SWEEP_MS = 60_000;
/** Longest the gateway waits at start-up for the feed to load before it gives up starting. */
const LOAD_DEADLINE_MS = 20_000;
/** How long a revocation whose value cannot be read is kept: a year, longer than any sane token. */
const UNREADABLE_REVOCATION_S = 365 * 24 * 3600;

/**
 * The gateway's copy of identity's auth feed (the KV buckets `<ns>_REVOCATIONS` and
 * `<ns>_MEMBERSHIPS`): revoked token ids and every membership with its role, loaded in full
 * before the gateway listens and kept current by watches (a change reaches it within milliseconds).
 *
 * Memory is bounded by the data itself: one entry per membership, and one per revoked token that
 * has not expired yet (a revoked token is dropped once its own `exp` passes, when the signature
 * check refuses it anyway; the bucket drops it too, after the token lifetime).
 */
@Injectable()
export class AuthFeed implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('auth-feed');
  /** jti -> the token's exp (seconds). */
  private readonly revoked = new Map<string, number>();
  /** userId -> workspaceId -> role. */
  private readonly members = new Map<string, Map<string, Role>>();
  /** API key hash -> what the key acts as; keyId -> its hash (for open sockets of a key). */
  private readonly apiKeys = new Map<string, ApiKeyValue>();
  private readonly apiKeyHashes = new Map<string, string>();
  private revocations?: BucketMirror;
  private memberships?: BucketMirror;
  private apiKeyMirror?: BucketMirror;
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  async onModuleInit(): Promise<void> {
    const buckets = await ensureAuthBuckets(this.nc, this.ns);
    const log = { warn: (m: string) => this.logger.warn(m) };
    this.revocations = new BucketMirror(
      buckets.revocations,
      'revocations',
      {
        put: (key, entry) => this.revoked.set(key, expiryOf(entry)),
        delete: (key) => this.revoked.delete(key),
        reset: () => this.revoked.clear(),
      },
      log,
    );
    this.memberships = new BucketMirror(
      buckets.memberships,
      'memberships',
      {
        put: (key, entry) => this.setMembership(key, entry),
        delete: (key) => this.setMembership(key, undefined),
        reset: () => this.members.clear(),
      },
      log,
    );
    this.apiKeyMirror = new BucketMirror(
      buckets.apiKeys,
      'api keys',
      {
        put: (key, entry) => this.setApiKey(key, entry),
        delete: (key) => this.setApiKey(key, undefined),
        reset: () => {
          this.apiKeys.clear();
          this.apiKeyHashes.clear();
        },
      },
      log,
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the auth feed did not load within ${LOAD_DEADLINE_MS} ms`)), LOAD_DEADLINE_MS);
    });
    try {
      await Promise.race([
        Promise.all([this.revocations.start(), this.memberships.start(), this.apiKeyMirror.start()]),
        deadline,
      ]);
    } finally {
      clearTimeout(timer);
    }
    this.logger.log(
      `auth feed loaded: ${this.revoked.size} revoked tokens, ${this.members.size} users with memberships, ${this.apiKeys.size} API keys`,
    );
    this.sweeper = setInterval(() => this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([this.revocations?.stop(), this.memberships?.stop(), this.apiKeyMirror?.stop()]);
  }

  /** Both buckets are loaded: what the feed says can be trusted. False means refuse (fail closed). */
  get loaded(): boolean {
    return Boolean(this.revocations?.loaded && this.memberships?.loaded && this.apiKeyMirror?.loaded);
  }

  /** The API key with this keyed hash (`apiKeyHash`), if it exists and is not revoked. */
  apiKeyByHash(hash: string): ApiKeyValue | undefined {
    return this.apiKeys.get(hash);
  }

  /** False once the key is revoked (its entry deleted). */
  apiKeyActive(keyId: string): boolean {
    return this.apiKeyHashes.has(keyId);
  }

  isRevoked(jti: string): boolean {
    return this.revoked.has(jti.toLowerCase());
  }

  /** The user's workspaces with their role (empty when none). */
  membershipsOf(userId: string): ReadonlyMap<string, Role> {
    return this.members.get(userId.toLowerCase()) ?? EMPTY;
  }

  /**
   * Waits until every membership written before this call is applied here (read-your-writes for a
   * user who registered through another replica a moment ago). False after `timeoutMs`.
   */
  membershipsCaughtUp(timeoutMs: number): Promise<boolean> {
    return this.memberships ? this.memberships.caughtUp(timeoutMs) : Promise.resolve(false);
  }

  private setMembership(key: string, entry: KvEntry | undefined): void {
    const parsed = parseMembershipKey(key);
    if (!parsed) throw new Error('not a <userId>.<workspaceId> key');
    const role = entry?.json<MembershipValue>().role;
    if (entry && (typeof role !== 'string' || !ROLES.has(role))) throw new Error(`unknown role ${String(role)}`);
    let workspaces = this.members.get(parsed.userId);
    if (role) {
      if (!workspaces) this.members.set(parsed.userId, (workspaces = new Map<string, Role>()));
      workspaces.set(parsed.workspaceId, role);
    } else if (workspaces) {
      workspaces.delete(parsed.workspaceId);
      if (workspaces.size === 0) this.members.delete(parsed.userId);
    }
  }

  private setApiKey(hash: string, entry: KvEntry | undefined): void {
    const old = this.apiKeys.get(hash);
    if (old) this.apiKeyHashes.delete(old.keyId);
    this.apiKeys.delete(hash);
    if (!entry) return;
    const value = entry.json<ApiKeyValue>();
    if (typeof value.keyId !== 'string' || typeof value.workspaceId !== 'string' || !ROLES.has(value.role)) {
      throw new Error('not an API key entry');
    }
    this.apiKeys.set(hash, value);
    this.apiKeyHashes.set(value.keyId, hash);
  }

  private sweep(): void {
    const now = Date.now() / 1000;
    for (const [jti, exp] of this.revoked) if (exp < now) this.revoked.delete(jti);
  }
}

const EMPTY: ReadonlyMap<string, Role> = new Map();

/** A revocation's `exp`; one that cannot be read still revokes (fail closed), for the longest token life. */
function expiryOf(entry: KvEntry): number {
  try {
    const exp = entry.json<RevocationValue>().exp;
    if (typeof exp === 'number' && Number.isFinite(exp)) return exp;
  } catch {
    /* below */
  }
  return Date.now() / 1000 + UNREADABLE_REVOCATION_S;
}
