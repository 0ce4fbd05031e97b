import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@flowstack/service-kit';
import { CLOCK, type Clock } from '../clock';
import { MAX_DELIVERY_ATTEMPTS, deliveryBackoffMs, retryableStatus } from '../domain';
import { SEALER, type Sealer } from '../sealing';
import { NotificationSender } from './notification.sender';

/** What the delivery loop reads from the scheduler's settings. */
export interface DeliverySettings {
  /** False: this replica sends nothing (`SCHEDULER_FIRE=false`). */
  enabled: boolean;
  pollMs: number;
  retryBaseMs: number;
  allowPrivateNetwork: boolean;
}

export const DELIVERY_SETTINGS = Symbol('DELIVERY_SETTINGS');

/** How long a claimed delivery is this replica's before another may try it (a replica that died mid-send). */
const LEASE_MS = 60_000;
const BATCH = 20;

interface ClaimedRow {
  id: string;
  workspace_id: string;
  notification_id: string;
  payload: unknown;
  attempts: unknown[];
  sealed_url: string | null;
  deleted: boolean;
}

/**
 * Sends pending notification deliveries and retries failed ones with backoff. A round leases up to
 * 20 due deliveries (`FOR UPDATE SKIP LOCKED`, `next_attempt_at` pushed a minute ahead, so
 * replicas take disjoint ones and none is held in a transaction while its POST runs), sends them
 * at once, and records each attempt: a 2xx is `delivered`; a network error, 408, 425, 429 or 5xx
 * is retried after `deliveryBackoffMs` up to `MAX_DELIVERY_ATTEMPTS`; any other answer or a
 * refused address is `failed` at once. Delivery is at least once: a replica that dies after the
 * POST and before the record sends it again after the lease; receivers dedupe by the
 * `X-Flowstack-Delivery` header (the delivery id).
 */
@Injectable()
export class DeliveryLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('notifications');
  private readonly sender: NotificationSender;
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SEALER) private readonly sealer: Sealer,
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliverySettings,
  ) {
    this.sender = new NotificationSender(settings.allowPrivateNetwork);
  }

  onApplicationBootstrap(): void {
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    await this.sender.close();
  }

  /** Looks for due deliveries now (a new one on this replica); others are found on the next poll. */
  wake(): void {
    if (this.stopped || !this.settings.enabled) return;
    if (this.round) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.round = this.runRound().finally(() => {
      this.round = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async runRound(): Promise<void> {
    let delay = this.settings.pollMs;
    try {
      while (!this.stopped && (await this.deliverDue()) === BATCH);
      const { rows } = await this.pool.query<{ at: Date | null }>(
        `SELECT min(next_attempt_at) AS at FROM scheduler.notification_deliveries WHERE status = 'pending'`,
      );
      const earliest = rows[0]?.at;
      if (earliest) delay = Math.min(delay, this.clock.realDelay(earliest.getTime() - this.clock.now().getTime()));
    } catch (e) {
      this.logger.warn(`delivery round failed, retrying in ${delay} ms: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!this.stopped && !this.again) this.timer = setTimeout(() => this.wake(), Math.ceil(delay));
  }

  private async deliverDue(): Promise<number> {
    const now = this.clock.now();
    const { rows } = await this.pool.query<ClaimedRow>(
      `WITH due AS (
         SELECT id FROM scheduler.notification_deliveries
          WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE scheduler.notification_deliveries d SET next_attempt_at = $3
         FROM due, scheduler.notifications n
        WHERE d.id = due.id AND n.id = d.notification_id
       RETURNING d.id, d.workspace_id, d.notification_id, d.payload, d.attempts, n.sealed_url, n.deleted_at IS NOT NULL AS deleted`,
      [now, BATCH, new Date(now.getTime() + LEASE_MS)],
    );
    await Promise.all(rows.map((row) => this.deliver(row)));
    return rows.length;
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    const attempt = row.attempts.length + 1;
    let result: { status: number | null; error: string | null };
    let retry = false;
    if (row.deleted || !row.sealed_url) {
      result = { status: null, error: 'the notification was deleted' };
    } else {
      let url: string | undefined;
      try {
        url = this.sealer.open(row.workspace_id, row.notification_id, row.sealed_url);
      } catch (e) {
        result = { status: null, error: `the receiver URL does not open: ${(e as Error).message}` };
      }
      if (url !== undefined) {
        result = await this.sender.send(url, row.payload, row.id);
        retry = result.error !== null && retryableStatus(result.status) && !result.error.startsWith('address_not_allowed');
      }
    }
    const sent = result!;
    const now = this.clock.now();
    const status = sent.error === null ? 'delivered' : retry && attempt < MAX_DELIVERY_ATTEMPTS ? 'pending' : 'failed';
    const next =
      status === 'pending'
        ? new Date(now.getTime() + deliveryBackoffMs(attempt, this.settings.retryBaseMs, Math.random()))
        : null;
    if (status !== 'delivered') this.logger.warn(`delivery ${row.id} attempt ${attempt}: ${sent.error} (${status})`);
    await this.pool.query(
      `UPDATE scheduler.notification_deliveries
          SET status = $2, next_attempt_at = $3, attempts = attempts || $4::jsonb
        WHERE id = $1`,
      [row.id, status, next, JSON.stringify([{ at: now.toISOString(), status: sent.status, error: sent.error }])],
    );
  }
}
