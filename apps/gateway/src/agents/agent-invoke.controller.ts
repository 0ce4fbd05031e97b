import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  INVOKE_NODE_ID,
  Rpc,
  agentInvokeSchema,
  parseRequest,
  type AgentInvokeResult,
  type AgentView,
  type ExecutionView,
  type RequestContext,
  type TokenUsage,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';
import { AgentChunksHub } from '../live/agent-chunks.hub';
import { ExecutionEventsHub } from '../live/execution-events.hub';
import { isTerminal } from '../live/live-event';
import { ExecutionValuesResolver } from '../executions/execution-values.resolver';

/** How long one invoke waits for its execution to finish before it answers with what it has. */
const INVOKE_WAIT_MS = 10 * 60_000;
/** Between looks at the execution itself, in case a live event was missed (a consumer restart). */
const POLL_MS = 1_000;

/**
 * `POST /api/v1/agents/{id}/invoke {messages, stream?}`: runs the agent once on a conversation as
 * an execution of its own (an implicit one-node workflow, `workflowId` `agent:<id>`), audited and
 * costed like any run. The answer waits for the execution: JSON `{ executionId, status, message,
 * usage, cost, steps }`, or with `stream: true` Server-Sent Events: `execution` (the id, first),
 * `token` (each chunk of text as the model streams it), then `done` (the same object as the JSON
 * answer) or `error` (`{ executionId, code, message, cost }`).
 */
@Controller('api/v1/agents')
export class AgentInvokeController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly events: ExecutionEventsHub,
    private readonly chunks: AgentChunksHub,
    private readonly values: ExecutionValuesResolver,
  ) {}

  @Post(':id/invoke')
  @HttpCode(200)
  async invoke(
    @Param('id') id: string,
    @Body() body: unknown,
    @Ctx() ctx: RequestContext,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const request = parseRequest(agentInvokeSchema, body);
    // Another workspace's agent (or none) is a 404 before anything starts.
    const agent = await this.rpc.request<AgentView>(Rpc.registry.agentGet, { id }, ctx);
    const executionId = randomUUID();
    const gone = new AbortController();
    req.on('close', () => gone.abort());
    res.on('close', () => gone.abort());

    // Watch before the start, so neither the first token nor the end can be missed.
    let write: ((event: string, data: unknown) => void) | undefined;
    if (request.stream) {
      res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
      res.flushHeaders();
      write = (event, data) => {
        if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
    }
    const stopChunks = this.chunks.subscribe(executionId, (chunk) => {
      if (chunk.workspaceId === ctx.workspaceId && chunk.nodeId === INVOKE_NODE_ID) write?.('token', { text: chunk.chunk });
    });
    let finished!: () => void;
    const ended = new Promise<void>((resolve) => (finished = resolve));
    const stopEvents = this.events.subscribe(executionId, (event) => {
      if (isTerminal(event)) finished();
    });
    try {
      // The end must not be missed: live events flow before the run starts.
      await this.events.ready();
      await this.rpc.request(
        Rpc.orchestrator.agentInvoke,
        { executionId, agentId: agent.id, label: agent.name, messages: request.messages },
        ctx,
      );
      write?.('execution', { executionId });
      const view = await this.waitForEnd(executionId, ctx, ended, gone.signal);
      if (!view) return void res.end();
      const result = resultOf(view);
      if (!write) {
        res.status(200).json(result);
        return;
      }
      if (result.status === 'completed') write('done', result);
      else
        write('error', { executionId, ...(result.error ?? { code: result.status, message: result.status }), cost: result.cost });
      res.end();
    } catch (e) {
      // Before the stream started the error is a problem document as usual; after, an `error` event.
      if (!write || !res.headersSent) throw e;
      const err = e as { code?: string; message?: string };
      write('error', { executionId, code: err.code ?? 'internal', message: err.message ?? String(e) });
      res.end();
    } finally {
      stopChunks();
      stopEvents();
    }
  }

  /** The finished execution's view; undefined when the client went away or the wait ran out (the run goes on). */
  private async waitForEnd(
    executionId: string,
    ctx: RequestContext,
    ended: Promise<void>,
    gone: AbortSignal,
  ): Promise<ExecutionView | undefined> {
    const deadline = Date.now() + INVOKE_WAIT_MS;
    while (!gone.aborted && Date.now() < deadline) {
      const view = await this.rpc.request<ExecutionView>(Rpc.orchestrator.executionGet, { executionId }, ctx);
      if (['completed', 'failed', 'cancelled'].includes(view.status)) return this.values.resolveView(view, ctx.workspaceId);
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, POLL_MS).unref())]);
    }
    return undefined;
  }
}

interface AgentOutput {
  text?: string;
  json?: unknown;
  usage?: TokenUsage;
  steps?: number;
}

/** The invoke's answer from its execution: the agent node's output, usage and the run's total cost. */
function resultOf(view: ExecutionView): AgentInvokeResult {
  const node = view.nodes[INVOKE_NODE_ID] as { output?: AgentOutput; error?: { code: string; message: string } } | undefined;
  const output = node?.output;
  const usage = output?.usage ?? { inputTokens: 0, outputTokens: 0, model: '' };
  const status = view.status as AgentInvokeResult['status'];
  const error = node?.error ?? (view as { error?: { code: string; message: string } }).error;
  return {
    executionId: view.id,
    status,
    ...(output && status === 'completed'
      ? { message: { role: 'assistant' as const, content: output.text ?? JSON.stringify(output.json) } }
      : {}),
    usage,
    cost: view.totalCost,
    ...(output?.steps === undefined ? {} : { steps: output.steps }),
    ...(status !== 'completed' && error ? { error: { code: error.code, message: error.message } } : {}),
  };
}
