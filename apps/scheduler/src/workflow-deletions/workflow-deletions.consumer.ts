import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { streamName, subject, type Namespace } from '@flowstack/contracts';
import { decodeStoredEvent } from '@flowstack/event-store';
import { JETSTREAM, JETSTREAM_MANAGER, NAMESPACE, systemContext } from '@flowstack/messaging';
import { AuditLog } from '@flowstack/orm';
import { CLOCK, type Clock } from '../clock';
import { runDurableEvents } from '../run-outcomes/durable-events';

export const WORKFLOW_DELETIONS_CONSUMER = 'scheduler-workflow-deleted';

/**
 * When a workflow is deleted (`WorkflowDeleted` on EVENTS, one durable consumer shared by the
 * replicas), everything of the scheduler that would start or watch it is switched off, so nothing
 * keeps firing as failed fires: its schedules are paused (`SchedulePaused` with `reason:
 * workflow_deleted`), and the event triggers whose source or target it is and its notifications
 * are disabled (`TriggerUpdated`, `NotificationUpdated`, same reason). Idempotent: a redelivery
 * finds nothing left enabled and appends nothing. Webhooks of the workflow answer 404 from then on
 * (the orchestrator refuses the start).
 */
@Injectable()
export class WorkflowDeletionsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('workflow-deletions');
  private stop?: () => Promise<void>;

  constructor(
    @Inject(JETSTREAM) private readonly js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = runDurableEvents(
      this.js,
      this.jsm,
      {
        stream: streamName(this.ns, 'EVENTS'),
        name: WORKFLOW_DELETIONS_CONSUMER,
        filterSubject: subject(this.ns, 'events.*.workflow.WorkflowDeleted'),
        concurrency: 1,
        handle: (msg) => this.handle(msg),
      },
      this.logger,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop?.();
  }

  private async handle(msg: JsMsg): Promise<void> {
    try {
      const event = decodeStoredEvent<{ workflowId: string }>(msg.data);
      await this.switchOff(event.workspaceId, event.data.workflowId);
      msg.ack();
    } catch (e) {
      this.logger.warn(`workflow deletion ${msg.seq} not handled, retrying: ${e instanceof Error ? e.message : String(e)}`);
      msg.nak(Math.min(60_000, 1000 * 2 ** (msg.info.deliveryCount - 1)));
    }
  }

  /** Pauses the workflow's schedules and disables its triggers and notifications, each with its audit event. */
  async switchOff(workspaceId: string, workflowId: string): Promise<void> {
    const now = this.clock.now();
    const reason = 'workflow_deleted';
    await this.audit.transaction(systemContext(workspaceId), async (em, record) => {
      const conn = em.getConnection();
      const schedules = await conn.execute<{ id: string }[]>(
        `UPDATE scheduler.schedules SET enabled = false, updated_at = ?
          WHERE workspace_id = ? AND workflow_id = ? AND enabled AND deleted_at IS NULL RETURNING id`,
        [now, workspaceId, workflowId],
        'all',
        em.getTransactionContext(),
      );
      for (const { id } of schedules)
        await record(`schedule-${id}`, workspaceId, [{ type: 'SchedulePaused', data: { scheduleId: id, reason } }], 'any');
      const triggers = await conn.execute<{ id: string }[]>(
        `UPDATE scheduler.triggers SET enabled = false, updated_at = ?
          WHERE workspace_id = ? AND (source_workflow_id = ? OR target_workflow_id = ?) AND enabled AND deleted_at IS NULL RETURNING id`,
        [now, workspaceId, workflowId, workflowId],
        'all',
        em.getTransactionContext(),
      );
      for (const { id } of triggers)
        await record(
          `trigger-${id}`,
          workspaceId,
          [{ type: 'TriggerUpdated', data: { triggerId: id, changed: ['enabled'], reason } }],
          'any',
        );
      const notifications = await conn.execute<{ id: string }[]>(
        `UPDATE scheduler.notifications SET enabled = false, updated_at = ?
          WHERE workspace_id = ? AND workflow_id = ? AND enabled AND deleted_at IS NULL RETURNING id`,
        [now, workspaceId, workflowId],
        'all',
        em.getTransactionContext(),
      );
      for (const { id } of notifications)
        await record(
          `notification-${id}`,
          workspaceId,
          [{ type: 'NotificationUpdated', data: { notificationId: id, changed: ['enabled'], reason } }],
          'any',
        );
      if (schedules.length + triggers.length + notifications.length > 0) {
        this.logger.log(
          `workflow ${workflowId} deleted: ${schedules.length} schedule(s) paused, ${triggers.length} trigger(s) and ${notifications.length} notification(s) disabled`,
        );
      }
    });
  }
}
