import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  chargeHoldSchema,
  creditTransactionsQuerySchema,
  grantCreditsSchema,
  holdCreditsSchema,
  parseRequest,
  releaseHoldSchema,
  Rpc,
} from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { adminScope, readScope } from './credits-scope';
import { CreditsService } from './credits.service';

/**
 * Answers `billing.credits.*`: scope from the headers, parse the body, call. Hold, charge and
 * release are the orchestrator's (the bus lets no one else publish them).
 */
@Controller()
export class CreditsHandlers {
  constructor(private readonly credits: CreditsService) {}

  @MessagePattern(Rpc.billing.creditsGrant)
  grant(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credits.grant(adminScope(ctx.requestContext), parseRequest(grantCreditsSchema, body));
  }

  @MessagePattern(Rpc.billing.creditsBalance)
  balance(@Ctx() ctx: RpcContext) {
    return this.credits.balance(readScope(ctx.requestContext));
  }

  @MessagePattern(Rpc.billing.creditsTransactions)
  transactions(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credits.transactions(readScope(ctx.requestContext), parseRequest(creditTransactionsQuerySchema, body ?? {}));
  }

  @MessagePattern(Rpc.billing.creditsHold)
  hold(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credits.hold(readScope(ctx.requestContext), parseRequest(holdCreditsSchema, body));
  }

  @MessagePattern(Rpc.billing.creditsCharge)
  charge(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credits.charge(readScope(ctx.requestContext), parseRequest(chargeHoldSchema, body));
  }

  @MessagePattern(Rpc.billing.creditsRelease)
  release(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.credits.release(readScope(ctx.requestContext), parseRequest(releaseHoldSchema, body));
  }
}
