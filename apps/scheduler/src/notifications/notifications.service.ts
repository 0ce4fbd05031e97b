import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  Rpc,
  notFound,
  type CreateNotificationRequest,
  type DeliveryView,
  type ListQuery,
  type NotificationView,
  type Page,
  type UpdateNotificationRequest,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { AuditLog, decodeCursor, encodeCursor, isUuid, type WorkspaceScope } from '@flowstack/orm';
import { CLOCK, type Clock } from '../clock';
import { channelBody, runNotice, type FinishedRun } from '../domain';
import { SEALER, type Sealer } from '../sealing';
import { decodeTimeCursor } from '../triggers/triggers.service';
import { DeliveryLoop } from './delivery-loop';
import { Notification } from './notification.entity';

const streamOf = (id: string): string => `notification-${id}`;

const toView = (n: Notification): NotificationView => ({
  id: n.id,
  workflowId: n.workflowId,
  channel: n.channel,
  host: n.host,
  on: n.onOutcomes,
  enabled: n.enabled,
  createdAt: n.createdAt.toISOString(),
  updatedAt: n.updatedAt.toISOString(),
});

interface DeliveryRow {
  id: string;
  execution_id: string;
  outcome: DeliveryView['outcome'];
  status: DeliveryView['status'];
  attempts: DeliveryView['attempts'];
  next_attempt_at: Date | null;
  created_at: Date;
}

/**
 * Run notifications of one workspace at a time (CRUD, audited on `notification-<id>`; the URL is
 * sealed and never answered), their deliveries, and `react`, which the run-outcomes consumer calls
 * once per run's end: it records one pending delivery per matching notification (unique per
 * (notification, run), so a redelivered outcome adds none) for the `DeliveryLoop` to send.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly rpc: RpcClient,
    private readonly loop: DeliveryLoop,
    @Inject(SEALER) private readonly sealer: Sealer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(scope: WorkspaceScope, request: CreateNotificationRequest): Promise<NotificationView> {
    if (!isUuid(request.workflowId)) throw notFound('workflow');
    await this.rpc.request(Rpc.registry.workflowGet, { id: request.workflowId }, scope.ctx);
    const now = this.clock.now();
    const id = randomUUID();
    const sealedUrl = this.sealer.seal(scope.workspaceId, id, request.url);
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const notification = em.create(Notification, {
        id,
        workspaceId: scope.workspaceId,
        workflowId: request.workflowId.toLowerCase(),
        channel: request.channel,
        sealedUrl,
        host: new URL(request.url).host,
        onOutcomes: request.on ?? ['completed', 'failed'],
        enabled: request.enabled ?? true,
        createdBy: scope.ctx.actor.id,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await em.flush();
      await record(
        streamOf(id),
        scope.workspaceId,
        [
          {
            type: 'NotificationCreated',
            data: {
              notificationId: id,
              workflowId: notification.workflowId,
              channel: notification.channel,
              host: notification.host,
            },
          },
        ],
        'no_stream',
      );
      return toView(notification);
    });
  }

  async get(scope: WorkspaceScope, id: string): Promise<NotificationView> {
    return toView(await this.findLive(this.em.fork(), scope, id));
  }

  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<NotificationView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Notification,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
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

  async update(scope: WorkspaceScope, id: string, changes: UpdateNotificationRequest): Promise<NotificationView> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const n = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (changes.url !== undefined) {
        n.sealedUrl = this.sealer.seal(scope.workspaceId, n.id, changes.url);
        n.host = new URL(changes.url).host;
      }
      if (changes.on !== undefined) n.onOutcomes = changes.on;
      if (changes.enabled !== undefined) n.enabled = changes.enabled;
      n.updatedAt = this.clock.now();
      await em.flush();
      await record(
        streamOf(n.id),
        scope.workspaceId,
        [{ type: 'NotificationUpdated', data: { notificationId: n.id, changed: Object.keys(changes) } }],
        'any',
      );
      return toView(n);
    });
  }

  async remove(scope: WorkspaceScope, id: string): Promise<{ id: string; deleted: true }> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const n = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      n.deletedAt = this.clock.now();
      await em.flush();
      await record(streamOf(n.id), scope.workspaceId, [{ type: 'NotificationDeleted', data: { notificationId: n.id } }], 'any');
      return { id: n.id, deleted: true };
    });
  }

  /** Every delivery with its attempts, newest first; the cursor is the previous page's last `createdAt`. */
  async deliveries(scope: WorkspaceScope, id: string, query: ListQuery): Promise<Page<DeliveryView>> {
    const n = await this.findLive(this.em.fork(), scope, id);
    const before = query.cursor === undefined ? null : decodeTimeCursor(query.cursor);
    const rows = await this.em.getConnection().execute<DeliveryRow[]>(
      `SELECT id, execution_id, outcome, status, attempts, next_attempt_at, created_at
         FROM scheduler.notification_deliveries
        WHERE notification_id = ? AND (?::timestamptz IS NULL OR created_at < ?::timestamptz)
        ORDER BY created_at DESC, id DESC LIMIT ?`,
      [n.id, before, before, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map((r): DeliveryView => ({
      id: r.id,
      executionId: r.execution_id,
      outcome: r.outcome,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.next_attempt_at ? new Date(r.next_attempt_at).toISOString() : null,
      createdAt: new Date(r.created_at).toISOString(),
    }));
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].createdAt : null };
  }

  /** Records a pending delivery of this run's end for every matching notification, once each. */
  async react(run: FinishedRun): Promise<void> {
    const due = (
      await this.em
        .fork()
        .find(Notification, { workspaceId: run.workspaceId, workflowId: run.workflowId, enabled: true, deletedAt: null })
    ).filter((n) => n.onOutcomes.includes(run.outcome));
    if (due.length === 0) return;
    const now = this.clock.now();
    for (const n of due) {
      const deliveryId = randomUUID();
      await this.em.getConnection().execute(
        `INSERT INTO scheduler.notification_deliveries
           (id, notification_id, workspace_id, execution_id, outcome, payload, status, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (notification_id, execution_id) DO NOTHING`,
        [
          deliveryId,
          n.id,
          run.workspaceId,
          run.executionId,
          run.outcome,
          JSON.stringify(channelBody(n.channel, runNotice(run, n.id, deliveryId))),
          now,
          now,
        ],
      );
    }
    this.loop.wake();
  }

  private async findLive(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Notification> {
    if (!isUuid(id)) throw notFound('notification');
    const n = await em.findOne(
      Notification,
      { id: id.toLowerCase(), workspaceId: scope.workspaceId, deletedAt: null },
      lockMode ? { lockMode } : {},
    );
    if (!n) throw notFound('notification');
    return n;
  }
}
