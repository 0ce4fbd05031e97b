import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@flowstack/service-kit';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config';
import { CLOCK, type Clock } from '../clock';
import { BILLING_SCHEMA } from '../database/billing.migration';
import { CreditsService } from '../credits/credits.service';

/** Ledgers one sweep round expires at most. */
const SWEEP_BATCH = 100;

/**
 * Releases holds nobody settled (a crashed run): every `BILLING_SWEEP_MS` it finds the ledgers
 * whose earliest open hold is due (`billing.ledgers.next_expiry`) and issues `ExpireHolds` on each.
 * Replicas sweeping the same ledger at once are harmless: the second decides nothing (or loses the
 * version race and decides again on the new state).
 */
@Injectable()
export class ExpirySweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('expiry-sweep');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly credits: CreditsService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.sweep) this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round: expires the due holds of up to `SWEEP_BATCH` ledgers; how many holds it expired. */
  async sweepOnce(): Promise<number> {
    const { rows } = await this.pool.query<{ workspace_id: string }>(
      `SELECT workspace_id FROM ${BILLING_SCHEMA}.ledgers WHERE next_expiry <= $1 ORDER BY next_expiry LIMIT $2`,
      [this.clock.now(), SWEEP_BATCH],
    );
    let expired = 0;
    for (const { workspace_id: workspaceId } of rows) {
      if (this.stopped) break;
      const ctx = { workspaceId, actor: { id: 'billing', type: 'system' as const }, correlationId: randomUUID() };
      expired += await this.credits.expire(workspaceId, ctx);
    }
    return expired;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweepOnce()
        .then((n) => {
          if (n > 0) this.logger.log(`expired ${n} hold(s)`);
        })
        .catch((e: unknown) => this.logger.warn(`sweep failed, retrying next round: ${String(e)}`))
        .finally(() => this.schedule());
    }, this.config.sweepMs);
    this.timer.unref();
  }
}
