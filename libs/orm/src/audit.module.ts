import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Namespace } from '@flowstack/contracts';
import { JetStreamEventPublisher, PostgresEventStore } from '@flowstack/event-store';
import { JETSTREAM, NAMESPACE } from '@flowstack/messaging';
import { PG_POOL } from '@flowstack/service-kit';
import { AuditLog, EVENT_STORE } from './audit-log';

/** The event store this service appends its domain events to, and the transaction seam over it. */
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [PG_POOL, JETSTREAM, NAMESPACE],
      useFactory: (pool: Pool, js: JetStreamClient, ns: Namespace) =>
        new PostgresEventStore(pool, { publisher: new JetStreamEventPublisher(js, ns) }),
    },
    AuditLog,
  ],
  exports: [AuditLog],
})
export class AuditModule {}
