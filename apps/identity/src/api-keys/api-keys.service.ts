import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  type ApiKeyView,
  type CreateApiKeyRequest,
  type CreatedApiKeyView,
  type RequestContext,
} from '@flowstack/contracts';
import { apiKeyHash, type ApiKeyValue } from '@flowstack/messaging';
import { AuditLog } from '@flowstack/orm';
import { AuthFeedPublisher } from '../auth-feed/auth-feed.publisher';
import { decideApiKeyRole } from '../domain/membership.rules';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { lockMembersAsAdmin, userOf, workspaceOf } from '../members/workspace-access';
import { Workspace } from '../workspaces/workspace.entity';
import { ApiKey } from './api-key.entity';

/**
 * API keys of the caller's workspace. The key (`fsk_<prefix>_<secret>`, 256 random bits) is in the
 * create answer only; identity stores its HMAC-SHA256 under the pepper and puts that hash on the
 * auth feed, where every gateway checks keys without asking identity. Revoking deletes it there
 * before the answer. Admins manage keys (`ACCESS_POLICY`, checked again here); a key's role is at
 * most its creator's, and at run time never above the creator's current role (the gateway caps it).
 */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly feed: AuthFeedPublisher,
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async create(ctx: RequestContext, request: CreateApiKeyRequest): Promise<CreatedApiKeyView> {
    const workspaceId = workspaceOf(ctx);
    const userId = userOf(ctx);
    const prefix = `fsk_${randomBytes(4).toString('hex')}`;
    const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
    const hash = apiKeyHash(this.config.apiKeyPepper, key);
    const created = await this.audit.transaction(ctx, async (em, record) => {
      const members = await lockMembersAsAdmin(em, ctx);
      const creatorRole = members.find((m) => m.user.id === userId)?.role ?? 'viewer';
      const role = decideApiKeyRole({ creatorRole, wanted: request.role });
      const apiKey = em.create(ApiKey, {
        workspace: em.getReference(Workspace, workspaceId),
        name: request.name,
        prefix,
        keyHash: hash,
        role,
        createdBy: userId,
        createdAt: new Date(),
        expiresAt: request.expiresAt ? new Date(request.expiresAt) : null,
        revokedAt: null,
        lastUsedAt: null,
      });
      await em.flush();
      await record(
        `workspace-${workspaceId}`,
        workspaceId,
        [
          {
            type: 'ApiKeyCreated',
            data: { workspaceId, keyId: apiKey.id, prefix, role, createdBy: userId, expiresAt: request.expiresAt ?? null },
          },
        ],
        'any',
      );
      return apiKey;
    });
    const value: ApiKeyValue = {
      keyId: created.id,
      workspaceId,
      role: created.role,
      createdBy: userId,
      expiresAt: created.expiresAt ? Math.floor(created.expiresAt.getTime() / 1000) : null,
    };
    await this.feed.apiKeyChanged(hash, value);
    return { ...toApiKeyView(created), key };
  }

  /** Every key of the workspace, newest first, revoked ones with `revokedAt`. */
  async list(ctx: RequestContext): Promise<{ items: ApiKeyView[] }> {
    const keys = await this.em
      .fork()
      .find(ApiKey, { workspace: workspaceOf(ctx) }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    return { items: keys.map(toApiKeyView) };
  }

  /** `not_found` for an unknown or another workspace's key; revoking a revoked key changes nothing. */
  async revoke(ctx: RequestContext, keyId: string): Promise<{ revoked: true }> {
    const workspaceId = workspaceOf(ctx);
    const hash = await this.audit.transaction(ctx, async (em, record) => {
      await lockMembersAsAdmin(em, ctx);
      const apiKey = await em.findOne(ApiKey, { id: keyId, workspace: workspaceId });
      if (!apiKey) throw new FlowstackError('not_found', 'API key not found');
      if (!apiKey.revokedAt) {
        apiKey.revokedAt = new Date();
        await em.flush();
        await record(`workspace-${workspaceId}`, workspaceId, [{ type: 'ApiKeyRevoked', data: { workspaceId, keyId } }], 'any');
      }
      return apiKey.keyHash;
    });
    // Also for an already revoked key: a delete lost to a crash after the commit is repaired here.
    await this.feed.apiKeyChanged(hash, null);
    return { revoked: true };
  }

  /** Last uses batched by a gateway: one statement per batch; a time never moves backwards. */
  async touch(items: Array<{ keyId: string; usedAt: string }>): Promise<{ updated: number }> {
    if (items.length === 0) return { updated: 0 };
    // One JSON parameter: the driver would spread an array parameter into a list of placeholders.
    const batch = JSON.stringify(items.map((i) => ({ id: i.keyId, used_at: i.usedAt })));
    const result = await this.em.fork().execute<{ affectedRows?: number }>(
      `update identity.api_keys k set last_used_at = greatest(k.last_used_at, v.used_at)
         from json_to_recordset(?::json) as v(id uuid, used_at timestamptz)
        where k.id = v.id`,
      [batch],
      'run',
    );
    return { updated: Number(result.affectedRows ?? 0) };
  }
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

const toApiKeyView = (k: ApiKey): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: `${k.prefix}_…`,
  role: k.role,
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt),
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});
