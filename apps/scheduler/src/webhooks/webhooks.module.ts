import { Module } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { WebhooksHandlers } from './webhooks.handlers';
import { WebhooksService } from './webhooks.service';

/** Webhooks over NATS: create (secret shown once), get, delete, and signed calls. */
@Module({ imports: [AuditModule], controllers: [WebhooksHandlers], providers: [WebhooksService] })
export class WebhooksModule {}
