import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KV, KvEntry } from '@nats-io/kv';
import type { Namespace, Role } from '@flowstack/contracts';
import {
  BucketMirror,
  NAMESPACE,
  NATS_CONNECTION,
  ensureAuthBuckets,
  membershipKey,
  revocationKey,
  type ApiKeyValue,
  type AuthBuckets,
  type MembershipValue,
  type RevocationValue,
} from '@flowstack/messaging';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';

/** Revocations outlive their token by this much, for clocks that disagree a little. */
const REVOCATION_TTL_MARGIN_MS = 5 * 60_000;

/**
 * Writes what every gateway needs to authenticate a call on its own to the auth feed's KV buckets
 * (`@flowstack/messaging` auth-feed): revoked token ids and memberships with their role. Each
 * write happens after the Postgres commit and before identity answers, so a logout's 204 means
 * the revocation is on the bus (gateways apply it within milliseconds).
 *
 * At start-up it reconciles the buckets with Postgres (rows written before the feed existed, or a
 * write lost to a crash between commit and publish): a missing membership is created only if the
 * key was never written (a removed one keeps its delete marker and is not brought back), a role
 * that differs is updated only if the key did not change meanwhile.
 *
 * Failures: NATS errors propagate (the caller's request fails and may be retried: every write is
 * idempotent).
 */
@Injectable()
export class AuthFeedPublisher implements OnModuleInit {
  private readonly logger = new Logger('auth-feed');
  private buckets!: AuthBuckets;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly em: EntityManager,
  ) {}

  async onModuleInit(): Promise<void> {
    this.buckets = await ensureAuthBuckets(this.nc, this.ns, {
      revocationTtlMs: this.config.jwtTtlSeconds * 1000 + REVOCATION_TTL_MARGIN_MS,
    });
    // A failed reconciliation (e.g. MIGRATIONS=skip before the migration job ran) does not stop
    // the service: new writes still reach the feed, and the next start reconciles again.
    await this.reconcile().catch((e: unknown) =>
      this.logger.warn(`auth feed not reconciled with Postgres: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** The token `jti` is refused from now until its `exp` (seconds since the epoch). */
  async revoked(jti: string, exp: number): Promise<void> {
    const value: RevocationValue = { exp };
    await this.buckets.revocations.put(revocationKey(jti), JSON.stringify(value));
  }

  /** The API key with this hash now acts as `value`; `null`: revoked. */
  async apiKeyChanged(hash: string, value: ApiKeyValue | null): Promise<void> {
    if (value === null) await this.buckets.apiKeys.delete(hash);
    else await this.buckets.apiKeys.put(hash, JSON.stringify(value));
  }

  /** The user's role in the workspace is now `role`; `null`: no longer a member. */
  async membershipChanged(userId: string, workspaceId: string, role: Role | null): Promise<void> {
    const key = membershipKey(userId, workspaceId);
    if (role === null) await this.buckets.memberships.delete(key);
    else await this.buckets.memberships.put(key, JSON.stringify({ role } satisfies MembershipValue));
  }

  private reconcileApiKeys(em: EntityManager): Promise<number> {
    return reconcileApiKeysOf(em, this.buckets.apiKeys);
  }

  private async reconcile(): Promise<void> {
    const em = this.em.fork();
    const [revokedRows, memberRows, revocations, memberships] = await Promise.all([
      em.execute<Array<{ jti: string; exp: number }>>(
        'select jti, extract(epoch from expires_at)::bigint as exp from identity.revoked_tokens where expires_at > now()',
      ),
      em.execute<Array<{ user_id: string; workspace_id: string; role: Role }>>(
        'select user_id, workspace_id, role from identity.memberships',
      ),
      snapshotOf(this.buckets.revocations, 'revocations'),
      snapshotOf(this.buckets.memberships, 'memberships'),
    ]);
    let written = 0;
    for (const row of revokedRows) {
      if (revocations.has(revocationKey(row.jti))) continue;
      await this.revoked(row.jti, Number(row.exp));
      written++;
    }
    for (const row of memberRows) {
      const key = membershipKey(row.user_id, row.workspace_id);
      const value = JSON.stringify({ role: row.role } satisfies MembershipValue);
      const current = memberships.get(key);
      // A removed membership keeps its delete marker: the removal wins over a row read before it.
      if (memberships.has(key) && (!current || current.json<MembershipValue>().role === row.role)) continue;
      try {
        // `previousSeq: 0`: only a key never written; `update`: only if nobody wrote it since we read it.
        if (!current) await this.buckets.memberships.put(key, value, { previousSeq: 0 });
        else await this.buckets.memberships.update(key, value, current.revision);
        written++;
      } catch (e) {
        if (!/wrong last sequence/i.test((e as Error).message)) throw e;
      }
    }
    written += await this.reconcileApiKeys(em);
    if (written) this.logger.log(`reconciled the auth feed with Postgres: ${written} entries written`);
  }
}

/** Active keys missing from the bucket are put, revoked ones still in it deleted. */
async function reconcileApiKeysOf(em: EntityManager, kv: KV): Promise<number> {
  const [rows, entries] = await Promise.all([
    em.execute<
      Array<{
        id: string;
        workspace_id: string;
        role: Role;
        created_by: string;
        key_hash: string;
        exp: string | null;
        revoked: boolean;
      }>
    >(
      `select id, workspace_id, role, created_by, key_hash, extract(epoch from expires_at)::bigint as exp,
              revoked_at is not null as revoked
         from identity.api_keys where revoked_at is not null or expires_at is null or expires_at > now()`,
    ),
    snapshotOf(kv, 'api keys'),
  ]);
  let written = 0;
  for (const row of rows) {
    const present = entries.get(row.key_hash) !== undefined;
    if (row.revoked && present) {
      await kv.delete(row.key_hash);
      written++;
    } else if (!row.revoked && !entries.has(row.key_hash)) {
      const value: ApiKeyValue = {
        keyId: row.id,
        workspaceId: row.workspace_id,
        role: row.role,
        createdBy: row.created_by,
        expiresAt: row.exp === null ? null : Number(row.exp),
      };
      await kv.put(row.key_hash, JSON.stringify(value));
      written++;
    }
  }
  return written;
}

/** The bucket's current entries, keyed; delete markers included (they block a re-create). */
async function snapshotOf(kv: KV, name: string): Promise<Map<string, KvEntry | undefined>> {
  const entries = new Map<string, KvEntry | undefined>();
  const mirror = new BucketMirror(kv, name, {
    put: (key, entry) => entries.set(key, entry),
    delete: (key) => entries.set(key, undefined),
    reset: () => entries.clear(),
  });
  await mirror.start();
  await mirror.stop();
  return entries;
}
