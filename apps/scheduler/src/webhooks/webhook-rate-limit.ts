import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { FlowstackError } from '@flowstack/contracts';
import { PG_POOL } from '@flowstack/service-kit';

export const WEBHOOK_RATE = Symbol('WEBHOOK_RATE');

/**
 * The per-webhook limit on calls (`SCHEDULER_HOOK_RATE_PER_MIN` per minute), counted in Postgres
 * (`scheduler.webhook_rate_limits`, rate-limiter-flexible) so every replica shares one count.
 * Every call counts, signed or not, before anything else is done for it. Over the limit:
 * `rate_limited` (429) with `Retry-After` = seconds until the minute ends.
 */
@Injectable()
export class WebhookRateLimit {
  private readonly limiter: RateLimiterPostgres;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(WEBHOOK_RATE) private readonly perMinute: number,
  ) {
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      schemaName: 'scheduler',
      tableName: 'webhook_rate_limits',
      tableCreated: true,
      keyPrefix: 'hook',
      points: perMinute,
      duration: 60,
    });
  }

  async consume(webhookId: string): Promise<void> {
    try {
      await this.limiter.consume(webhookId);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      throw new FlowstackError(
        'rate_limited',
        `this webhook is over its limit of ${this.perMinute} calls per minute`,
        undefined,
        Math.max(1, Math.ceil(e.msBeforeNext / 1000)),
      );
    }
  }
}
