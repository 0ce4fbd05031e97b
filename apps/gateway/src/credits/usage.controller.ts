import { Controller, Get, Query } from '@nestjs/common';
import { Rpc, parseRequest, usageQuerySchema, type RequestContext, type UsageReport } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `GET /api/v1/usage`: billing's usage report; the query is validated here (`query.<field>`) and again by billing. */
@Controller('api/v1/usage')
export class UsageController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  report(@Query() query: Record<string, unknown>, @Ctx() ctx: RequestContext): Promise<UsageReport> {
    parseRequest(usageQuerySchema, query, 'query');
    return this.rpc.request(Rpc.billing.usageReport, query, ctx);
  }
}
