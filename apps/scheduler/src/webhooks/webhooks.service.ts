import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  Rpc,
  notFound,
  type CreateWebhookRequest,
  type CreatedWebhookView,
  type ListWebhooksQuery,
  type Page,
  type UpdateWebhookRequest,
  type UpdatedWebhookView,
  type WebhookView,
} from '@flowstack/contracts';
import { RpcClient, systemContext } from '@flowstack/messaging';
import { AuditLog, decodeCursor, encodeCursor } from '@flowstack/orm';
import { CLOCK, type Clock } from '../clock';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { SIGNATURE_TOLERANCE_SECONDS, verifyWebhookSignature } from '../domain';
import { SEALER, type Sealer } from '../sealing';
import { WebhookRateLimit } from './webhook-rate-limit';
import { Webhook } from './webhook.entity';

/** A call of `POST /hooks/{id}` as the gateway forwards it. */
export interface HookCall {
  id: string;
  /** The raw body (UTF-8, as the gateway's edge requires): the signature is over its exact bytes. */
  body: string;
  timestamp?: string;
  signature?: string;
  /** `X-Flowstack-Token` of a webhook with `auth: token`. */
  token?: string;
}

const streamOf = (id: string): string => `webhook-${id}`;

const toView = (w: Webhook): WebhookView => ({
  id: w.id,
  workflowId: w.workflowId,
  version: w.workflowVersion ?? 'latest',
  url: `/hooks/${w.id}`,
  auth: w.auth,
  enabled: w.enabled,
  createdAt: w.createdAt.toISOString(),
});

/** A fresh secret: `whsec_` (an HMAC key) or `whtok_` (a token), 256 random bits. */
const newSecret = (auth: Webhook['auth']): string =>
  `${auth === 'hmac' ? 'whsec' : 'whtok'}_${randomBytes(32).toString('base64url')}`;

/**
 * Webhooks: create (the secret is answered this once), read, list, enable or disable, rotate the
 * secret (answered once again), delete, and the signed calls that
 * start their workflow. A call is refused with `unauthenticated` (and nothing starts) when its
 * signature is missing, malformed, stale (more than 5 min from now), wrong, or already used.
 */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly rpc: RpcClient,
    private readonly rate: WebhookRateLimit,
    @Inject(SEALER) private readonly sealer: Sealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(scope: WorkspaceScope, request: CreateWebhookRequest): Promise<CreatedWebhookView> {
    const version = request.version === undefined || request.version === 'latest' ? null : request.version;
    if (!isUuid(request.workflowId)) throw notFound('workflow');
    if (version === null) await this.rpc.request(Rpc.registry.workflowGet, { id: request.workflowId }, scope.ctx);
    else await this.rpc.request(Rpc.registry.workflowVersionGet, { workflowId: request.workflowId, version }, scope.ctx);
    const auth = request.auth ?? 'hmac';
    const id = randomUUID();
    const secret = newSecret(auth);
    const sealedSecret = this.sealer.seal(scope.workspaceId, id, secret);
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const webhook = em.create(Webhook, {
        id,
        workspaceId: scope.workspaceId,
        workflowId: request.workflowId.toLowerCase(),
        workflowVersion: version,
        auth,
        secret: null,
        sealedSecret,
        enabled: true,
        createdBy: scope.ctx.actor.id,
        deletedAt: null,
      });
      await em.flush();
      await record(
        streamOf(webhook.id),
        scope.workspaceId,
        [{ type: 'WebhookCreated', data: { webhookId: webhook.id, workflowId: webhook.workflowId, auth } }],
        'no_stream',
      );
      return { ...toView(webhook), secret };
    });
  }

  async get(scope: WorkspaceScope, id: string): Promise<WebhookView> {
    return toView(await this.findLive(this.em.fork(), id, scope.workspaceId));
  }

  /**
   * Newest first, keyset pagination on (createdAt, id) like the schedules' list; `workflowId`
   * narrows it to one workflow's webhooks. Views only: the secret is never read here.
   */
  async list(scope: WorkspaceScope, query: ListWebhooksQuery): Promise<Page<WebhookView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Webhook,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
        ...(query.workflowId ? { workflowId: query.workflowId.toLowerCase() } : {}),
        ...(after
          ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /**
   * Enables or disables it, and/or replaces its secret (sealed like at creation; the old one stops
   * verifying at once). Only a rotation's answer carries the new secret. A change that changes
   * nothing (enabling an enabled webhook) records no event.
   */
  async update(scope: WorkspaceScope, id: string, changes: UpdateWebhookRequest): Promise<UpdatedWebhookView> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const webhook = await this.findLive(em, id, scope.workspaceId, LockMode.PESSIMISTIC_WRITE);
      const events: { type: string; data: Record<string, unknown> }[] = [];
      if (changes.enabled !== undefined && changes.enabled !== webhook.enabled) {
        webhook.enabled = changes.enabled;
        events.push({ type: 'WebhookUpdated', data: { webhookId: webhook.id, enabled: webhook.enabled } });
      }
      let secret: string | undefined;
      if (changes.rotateSecret) {
        secret = newSecret(webhook.auth);
        webhook.sealedSecret = this.sealer.seal(scope.workspaceId, webhook.id, secret);
        webhook.secret = null;
        events.push({ type: 'WebhookSecretRotated', data: { webhookId: webhook.id } });
      }
      await em.flush();
      if (events.length > 0) await record(streamOf(webhook.id), scope.workspaceId, events, 'any');
      return { ...toView(webhook), ...(secret !== undefined ? { secret } : {}) };
    });
  }

  async remove(scope: WorkspaceScope, id: string): Promise<{ id: string; deleted: true }> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const webhook = await this.findLive(em, id, scope.workspaceId, LockMode.PESSIMISTIC_WRITE);
      webhook.deletedAt = this.clock.now();
      await em.flush();
      await record(streamOf(webhook.id), scope.workspaceId, [{ type: 'WebhookDeleted', data: { webhookId: webhook.id } }], 'any');
      return { id: webhook.id, deleted: true };
    });
  }

  /**
   * Counts the call against the webhook's rate limit, verifies it (the signature, which is then
   * recorded so a second use is refused; or, in token mode, the token), then starts the run.
   */
  async call(call: HookCall): Promise<{ executionId: string; status: string }> {
    const webhook = await this.findLive(this.em.fork(), call.id);
    await this.rate.consume(webhook.id);
    const body = Buffer.from(call.body, 'utf8');
    const secret = this.secretOf(webhook);
    if (webhook.auth === 'token') {
      if (!call.token || !sameSecret(call.token, secret))
        throw new FlowstackError('unauthenticated', 'webhook token refused: X-Flowstack-Token is missing or wrong');
      return this.start(webhook, body);
    }
    const now = this.clock.now();
    const check = verifyWebhookSignature({
      secret,
      body,
      timestampHeader: call.timestamp,
      signatureHeader: call.signature,
      now,
    });
    if (!check.ok) throw new FlowstackError('unauthenticated', `webhook signature refused (${check.reason}): ${check.message}`);
    const fresh = await this.em.getConnection().execute<{ signature: string }[]>(
      `INSERT INTO scheduler.webhook_signatures (webhook_id, signature, seen_at) VALUES (?, ?, ?)
       ON CONFLICT DO NOTHING RETURNING signature`,
      [webhook.id, check.replayKey, now],
    );
    if (fresh.length === 0)
      throw new FlowstackError('unauthenticated', 'webhook signature refused (replay): this signature was already used');
    // Signatures older than twice the tolerance can never verify again: no need to remember them.
    await this.em
      .getConnection()
      .execute(`DELETE FROM scheduler.webhook_signatures WHERE webhook_id = ? AND seen_at < ?`, [
        webhook.id,
        new Date(now.getTime() - 2 * SIGNATURE_TOLERANCE_SECONDS * 1000),
      ]);
    return this.start(webhook, body);
  }

  private secretOf(webhook: Webhook): string {
    if (webhook.sealedSecret) return this.sealer.open(webhook.workspaceId, webhook.id, webhook.sealedSecret);
    if (webhook.secret) return webhook.secret;
    throw new FlowstackError('internal', `webhook ${webhook.id} has no secret`);
  }

  /** Starts the run of a call that authenticated; a disabled webhook refuses it here, so only the secret's holder learns that. */
  private async start(webhook: Webhook, body: Buffer): Promise<{ executionId: string; status: string }> {
    if (!webhook.enabled) throw new FlowstackError('conflict', 'this webhook is disabled: nothing was started');
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new FlowstackError('validation_failed', 'the webhook body is not JSON', [
        { path: '(body)', message: 'must be JSON', rule: 'invalid_json' },
      ]);
    }
    return this.rpc.request(
      Rpc.orchestrator.executionStart,
      {
        workflowId: webhook.workflowId,
        ...(webhook.workflowVersion !== null ? { version: webhook.workflowVersion } : {}),
        input,
        trigger: { type: 'webhook', by: webhook.id },
      },
      systemContext(webhook.workspaceId),
    );
  }

  private async findLive(em: EntityManager, id: string, workspaceId?: string, lockMode?: LockMode): Promise<Webhook> {
    if (!isUuid(id)) throw notFound('webhook');
    const webhook = await em.findOne(
      Webhook,
      { id: id.toLowerCase(), deletedAt: null, ...(workspaceId ? { workspaceId } : {}) },
      lockMode ? { lockMode } : {},
    );
    if (!webhook) throw notFound('webhook');
    return webhook;
  }
}

/** Compares a presented token with the secret in constant time (over their hashes, so lengths leak nothing). */
const sameSecret = (presented: string, secret: string): boolean =>
  timingSafeEqual(createHash('sha256').update(presented).digest(), createHash('sha256').update(secret).digest());
