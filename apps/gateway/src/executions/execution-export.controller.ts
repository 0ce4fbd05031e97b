import { once } from 'node:events';
import { Controller, Get, Logger, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  Rpc,
  notFound,
  type ExecutionCreditEntry,
  type ExportedEvent,
  type Page,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { EXPORT_FORMAT, ExportChain } from './export-chain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Events (and ledger entries) per request to the owning service while streaming. */
const PAGE = 500;

/**
 * `GET /api/v1/executions/{id}/export`: the whole run as JSON Lines with a hash chain
 * (`export-chain.ts`): a header, every event of the execution's stream as stored (with its id and
 * schema version), every ledger entry the execution caused, an end line. Streamed page by page
 * (`orchestrator.history.exportEvents`, then `billing.credits.ofExecution`), so memory stays
 * bounded however large the run; values stored out of band stay `{ ref, size, sha256 }`
 * references (`GET /executions/{id}/values/{sha256}` downloads them, and their sha256 pins their
 * content). Another workspace's run is 404 before any byte is sent.
 */
@Controller('api/v1/executions')
export class ExecutionExportController {
  private readonly logger = new Logger('export');

  constructor(private readonly rpc: RpcClient) {}

  @Get(':id/export')
  async export(@Param('id') id: string, @Ctx() ctx: RequestContext, @Res() res: Response): Promise<void> {
    if (!UUID.test(id)) throw notFound('execution');
    const executionId = id.toLowerCase();
    const eventsAfter = (afterSeq: number) =>
      this.rpc.request<Page<ExportedEvent>>(Rpc.executionHistory.exportEvents, { executionId, afterSeq, limit: PAGE }, ctx);
    // The first page proves the run is the caller's (404 otherwise), before the status is sent.
    let page = await eventsAfter(0);
    const chain = new ExportChain();
    let closed = false;
    res.on('close', () => (closed = true));
    res
      .status(200)
      .type('application/x-ndjson')
      .set('Cache-Control', 'no-store')
      .set('Content-Disposition', `attachment; filename="execution-${executionId}.jsonl"`);
    const write = async (body: Record<string, unknown>): Promise<void> => {
      if (!res.write(chain.next(body))) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    };
    let events = 0;
    let credits = 0;
    try {
      await write({
        kind: 'export',
        format: EXPORT_FORMAT,
        executionId,
        workspaceId: ctx.workspaceId,
        exportedAt: new Date().toISOString(),
        exportedBy: ctx.actor.id,
      });
      for (;;) {
        for (const e of page.items) {
          await write({
            kind: 'event',
            seq: e.seq,
            eventId: e.eventId,
            type: e.type,
            schemaVersion: e.schemaVersion,
            data: e.data,
            metadata: e.metadata,
            recordedAt: e.recordedAt,
          });
          events += 1;
        }
        if (closed || page.nextCursor === null || page.items.length === 0) break;
        page = await eventsAfter(page.items[page.items.length - 1].seq);
      }
      let after = 0;
      while (!closed) {
        const entries = await this.rpc.request<Page<ExecutionCreditEntry>>(
          Rpc.billing.creditsOfExecution,
          { executionId, afterPosition: after, limit: PAGE },
          ctx,
        );
        for (const c of entries.items) {
          await write({
            kind: 'credit',
            position: c.position,
            eventId: c.eventId,
            type: c.type,
            data: c.data,
            metadata: c.metadata,
            recordedAt: c.recordedAt,
          });
          credits += 1;
        }
        if (entries.nextCursor === null || entries.items.length === 0) break;
        after = entries.items[entries.items.length - 1].position;
      }
      if (!closed) await write({ kind: 'end', events, credits });
      res.end();
    } catch (e) {
      // The status is sent already: the export ends without its end line, which the verifier reports.
      this.logger.error(`export of ${executionId} cut after ${chain.lines} lines: ${e instanceof Error ? e.message : String(e)}`);
      res.destroy();
    }
  }
}
