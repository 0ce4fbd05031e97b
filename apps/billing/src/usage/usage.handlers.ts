import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { parseRequest, Rpc, usagePeriod, usageQuerySchema, type UsageReport } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { CLOCK, type Clock } from '../clock';
import { readScope } from '../credits/credits-scope';
import { rowOf } from './usage-report';
import { UsageStore } from './usage.store';

/** Answers `billing.usage.report` from the usage projection, in the caller's workspace. */
@Controller()
export class UsageHandlers {
  constructor(
    private readonly store: UsageStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @MessagePattern(Rpc.billing.usageReport)
  async report(@Payload() body: unknown, @Ctx() ctx: RpcContext): Promise<UsageReport> {
    const { workspaceId } = readScope(ctx.requestContext);
    const query = parseRequest(usageQuerySchema, body ?? {}, 'query');
    const period = usagePeriod(query, this.clock.now().getTime());
    const { items, totals } = await this.store.report(workspaceId, period, query.groupBy);
    const { key: _all, ...total } = rowOf(totals);
    return { ...period, groupBy: query.groupBy, items: items.map(rowOf), totals: total };
  }
}
