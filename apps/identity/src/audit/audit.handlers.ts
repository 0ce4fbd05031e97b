import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { auditQuerySchema, parseRequest, Rpc } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { AuditLogReader } from './audit-log.reader';

/** Answers `identity.audit.list` in the context's workspace (the gateway lets only admins call it). */
@Controller()
export class AuditHandlers {
  constructor(private readonly reader: AuditLogReader) {}

  @MessagePattern(Rpc.audit.auditList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.reader.list(ctx.requestContext.workspaceId, parseRequest(auditQuerySchema, body));
  }
}
