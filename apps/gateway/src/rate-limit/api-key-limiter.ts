import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION } from '@flowstack/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import type { RateLimiterNatsKv } from './nats-kv-rate-limiter';
import { consumeOrRefuse, createSharedLimiter } from './shared-limiter';

/**
 * The per-API-key limit (`GATEWAY_API_KEY_RATE_POINTS` per `GATEWAY_API_KEY_RATE_WINDOW_S`),
 * counted in a KV bucket all gateway replicas share, so a key gets the limit once, not once per
 * replica. Over it: `rate_limited` (429) with `Retry-After` = seconds until the window ends.
 */
@Injectable()
export class ApiKeyLimiter implements OnModuleInit {
  private limiter?: RateLimiterNatsKv;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    this.limiter = await createSharedLimiter(this.nc, this.ns, 'apikey', this.config.apiKeyRate);
  }

  /** Counts one call of the key; throws `rate_limited` over the limit. */
  async consume(keyId: string): Promise<void> {
    const { points, windowSeconds } = this.config.apiKeyRate;
    await consumeOrRefuse(this.limiter, keyId, `this API key is over its limit of ${points} requests per ${windowSeconds} s`);
  }
}
