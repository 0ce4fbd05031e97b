import { Injectable } from '@nestjs/common';
import {
  Rpc,
  type ChargeHoldRequest,
  type CreditBalanceView,
  type HoldCreditsRequest,
  type HoldResultView,
  type ReleaseHoldRequest,
  type RequestContext,
  type SettleResultView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';

/** Billing's hold, charge, release and balance, over the bus (the orchestrator alone may ask for holds). */
@Injectable()
export class CreditHoldsClient {
  constructor(private readonly rpc: RpcClient) {}

  hold(request: HoldCreditsRequest, ctx: RequestContext): Promise<HoldResultView> {
    return this.rpc.request<HoldResultView>(Rpc.billing.creditsHold, request, ctx);
  }

  charge(request: ChargeHoldRequest, ctx: RequestContext): Promise<SettleResultView> {
    return this.rpc.request<SettleResultView>(Rpc.billing.creditsCharge, request, ctx);
  }

  release(request: ReleaseHoldRequest, ctx: RequestContext): Promise<SettleResultView> {
    return this.rpc.request<SettleResultView>(Rpc.billing.creditsRelease, request, ctx);
  }

  balance(ctx: RequestContext): Promise<CreditBalanceView> {
    return this.rpc.request<CreditBalanceView>(Rpc.billing.creditsBalance, {}, ctx);
  }
}
