import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Rpc, isSha256Hex, notFound, type RequestContext } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { ExecutionValuesResolver } from './execution-values.resolver';

/**
 * `GET /api/v1/executions/{id}/values/{sha256}`: downloads one out-of-band value of an execution
 * (what a `{ ref, size, sha256 }` in a response or an event names) as its JSON. Scoped like every
 * read: the execution must be the caller workspace's, and so must the value; anything else is 404.
 */
@Controller('api/v1/executions')
export class ExecutionValuesController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly values: ExecutionValuesResolver,
  ) {}

  @Get(':id/values/:sha256')
  async download(
    @Param('id') id: string,
    @Param('sha256') sha256: string,
    @Ctx() ctx: RequestContext,
    @Res() res: Response,
  ): Promise<void> {
    if (!isSha256Hex(sha256)) throw notFound('value');
    // Proves the execution is the caller's (404 otherwise) before touching the store.
    await this.rpc.request(Rpc.orchestrator.executionEvents, { executionId: id, afterSeq: 0, limit: 1 }, ctx);
    const bytes = await this.values.bytesOf(ctx.workspaceId, sha256);
    if (!bytes) throw notFound('value');
    res
      .status(200)
      .type('application/json')
      .set('Cache-Control', 'private, max-age=31536000, immutable')
      .set('ETag', `"${sha256}"`)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  }
}
