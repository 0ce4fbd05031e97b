import { Controller, Get, Query } from '@nestjs/common';
import { auditQuerySchema, parseRequest, Rpc, type AuditPage, type RequestContext } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `GET /api/v1/audit`: the active workspace's audit trail (admins; `ACCESS_POLICY`). */
@Controller('api/v1/audit')
export class AuditController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<AuditPage> {
    return this.rpc.request(Rpc.audit.auditList, parseRequest(auditQuerySchema, query), ctx);
  }
}
