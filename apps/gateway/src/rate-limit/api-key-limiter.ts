import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { FlowstackError, type Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION, rateLimitBucketName } from '@flowstack/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { RateLimiterNatsKv } from './nats-kv-rate-limiter';

/**
 * The per-API-key limit (`GATEWAY_API_KEY_RATE_POINTS` per `GATEWAY_API_KEY_RATE_WINDOW_S`),
 * counted in a KV bucket all gateway replicas share, so a key gets the limit once, not once per
 * replica. Over it: `rate_limited` (429) with `Retry-After` = seconds until the window ends.
 * Should NATS fail to answer, the library's insurance limiter counts in this process instead.
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
    const { points, windowSeconds } = this.config.apiKeyRate;
    const kv = await new Kvm(this.nc).create(rateLimitBucketName(this.ns), {
      history: 1,
      // Counters outlive their window and then go away by themselves.
      ttl: Math.max(windowSeconds * 2, 60) * 1000,
      description: 'Flowstack rate-limit counters shared by the gateways',
    });
    this.limiter = new RateLimiterNatsKv(kv, {
      keyPrefix: 'apikey',
      points,
      duration: windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: windowSeconds }),
    });
  }

  /** Counts one call of the key; throws `rate_limited` over the limit. */
  async consume(keyId: string): Promise<void> {
    if (!this.limiter) throw new FlowstackError('unavailable', 'the rate limiter is starting', undefined, 1);
    try {
      await this.limiter.consume(keyId);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const { points, windowSeconds } = this.config.apiKeyRate;
      throw new FlowstackError(
        'rate_limited',
        `this API key is over its limit of ${points} requests per ${windowSeconds} s`,
        undefined,
        Math.max(1, Math.ceil(e.msBeforeNext / 1000)),
      );
    }
  }
}
