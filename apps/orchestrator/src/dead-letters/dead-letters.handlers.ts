import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { FlowstackError, Rpc, type DeadLetterListPayload, type DeadLetterPage, type RequestContext } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { DEAD_LETTER_STORE } from './dead-letter.tokens';
import type { DeadLetterStore } from './dead-letter.store';

/** Largest page: 100 letters of at most ~3.5 KB each stay far below one bus message. */
export const DEAD_LETTER_PAGE_MAX = 100;

/**
 * `orchestrator.deadLetter.list`: the caller's workspace's dead letters, newest first, paged by
 * cursor. Admins only (the gateway checks too; a service never trusts that alone). Letters of
 * other workspaces, and letters that named no workspace, are never returned.
 */
@Controller()
export class DeadLettersHandlers {
  constructor(@Inject(DEAD_LETTER_STORE) private readonly store: DeadLetterStore) {}

  @MessagePattern(Rpc.orchestrator.deadLetterList)
  onList(@Payload() p: DeadLetterListPayload | undefined, @Ctx() ctx: RpcContext) {
    return this.list(p ?? {}, ctx.requestContext);
  }

  async list(payload: DeadLetterListPayload, ctx: RequestContext): Promise<DeadLetterPage> {
    if (ctx.actor.role !== 'admin') throw new FlowstackError('forbidden', 'dead letters need the admin role');
    if (!ctx.workspaceId) throw new FlowstackError('forbidden', 'dead letters belong to a workspace');
    const limit = Math.min(Math.max(Math.trunc(Number(payload.limit ?? 50)) || 50, 1), DEAD_LETTER_PAGE_MAX);
    const cursor = typeof payload.cursor === 'string' ? payload.cursor : undefined;
    return this.store.list(ctx.workspaceId, limit, cursor);
  }
}
