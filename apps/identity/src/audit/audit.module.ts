import { Module } from '@nestjs/common';
import { AuditHandlers } from './audit.handlers';
import { AuditLogReader } from './audit-log.reader';

/** The workspace audit trail over NATS (`identity.audit.list`). */
@Module({ controllers: [AuditHandlers], providers: [AuditLogReader] })
export class AuditReadModule {}
