import { Controller, Get, Query } from '@nestjs/common';
import { Rpc, deadLettersQuerySchema, parseRequest, type DeadLetterPage, type RequestContext } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/**
 * `/api/v1/dead-letters`: the messages the platform parked for the caller's workspace (results it
 * could not record, tasks no runner finished, events it could not publish), newest first, paged by
 * cursor. Admins only; another workspace's letters are never listed.
 */
@Controller('api/v1/dead-letters')
export class DeadLettersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<DeadLetterPage> {
    return this.rpc.request(Rpc.orchestrator.deadLetterList, parseRequest(deadLettersQuerySchema, query), ctx);
  }
}
