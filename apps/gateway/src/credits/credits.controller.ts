import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  Rpc,
  creditTransactionsQuerySchema,
  grantCreditsSchema,
  parseRequest,
  type CreditBalanceView,
  type CreditEntryView,
  type Page,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `/api/v1/credits`: the workspace's credit ledger, forwarded to billing over NATS. */
@Controller('api/v1/credits')
export class CreditsController {
  constructor(private readonly rpc: RpcClient) {}

  /** Admins add credits (micro-credits); idempotent by `grantId`. Answers the new balance. */
  @Post('grants')
  grant(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<CreditBalanceView> {
    return this.rpc.request(Rpc.billing.creditsGrant, parseRequest(grantCreditsSchema, body), ctx);
  }

  @Get('balance')
  balance(@Ctx() ctx: RequestContext): Promise<CreditBalanceView> {
    return this.rpc.request(Rpc.billing.creditsBalance, {}, ctx);
  }

  @Get('transactions')
  transactions(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<CreditEntryView>> {
    return this.rpc.request(Rpc.billing.creditsTransactions, parseRequest(creditTransactionsQuerySchema, query), ctx);
  }
}
