import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Rpc } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';

/**
 * Last-used times of API keys without a write per request: each call only sets a map entry here;
 * every `GATEWAY_API_KEY_USAGE_FLUSH_MS` (30 s) the batch goes to identity in one request, which
 * writes it in one statement. A failed flush keeps its entries for the next one. Shutdown flushes.
 */
@Injectable()
export class ApiKeyUsage implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('api-keys');
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.apiKeyUsageFlushMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  used(keyId: string, at = Date.now()): void {
    this.pending.set(keyId, at);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const items = [...batch].map(([keyId, at]) => ({ keyId, usedAt: new Date(at).toISOString() }));
    try {
      await this.rpc.request(
        Rpc.apiKeys.touch,
        { items },
        {
          workspaceId: '',
          actor: { id: 'gateway', type: 'system' },
          correlationId: randomUUID(),
        },
      );
    } catch (e) {
      this.logger.warn(`last-used times not recorded (kept for the next flush): ${e instanceof Error ? e.message : String(e)}`);
      for (const [keyId, at] of batch) if (!this.pending.has(keyId)) this.pending.set(keyId, at);
    }
  }
}
