import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { WEBHOOK_RATE, WebhookRateLimit } from './webhook-rate-limit';
import { WebhooksHandlers } from './webhooks.handlers';
import { WebhooksService } from './webhooks.service';

/** Webhooks over NATS: create (secret shown once), get, delete, and signed (or token) calls, rate limited per webhook. */
@Module({})
export class WebhooksModule {
  static forRoot(settings: { hookRatePerMinute: number }): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [AuditModule],
      controllers: [WebhooksHandlers],
      providers: [{ provide: WEBHOOK_RATE, useValue: settings.hookRatePerMinute }, WebhookRateLimit, WebhooksService],
    };
  }
}
