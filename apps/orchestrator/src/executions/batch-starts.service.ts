import { Inject, Injectable, Logger } from '@nestjs/common';
import { z } from 'zod';
import {
  FlowstackError,
  Rpc,
  START_BATCH_MAX,
  executionStreamId,
  parseRequest,
  type ErrorBody,
  type NodeCostCap,
  type RequestContext,
  type StartExecutionBatchItem,
  type StartExecutionBatchResult,
  type StartExecutionPayload,
  type WorkflowVersionView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import type { PostgresEventStore } from '@flowstack/event-store';
import { ExecutionRuleViolation } from '../domain';
import { EVENT_STORE } from '../orchestrator.config';
import { ExecutionHandler } from './execution.handler';
import { InputValidator } from './input.validator';
import { StartPricing } from '../billing/start-pricing';
import { AdmissionService } from '../admission/admission.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The envelope only: each start is checked on its own, so one malformed start fails alone. */
const batchSchema = z.object({ starts: z.array(z.unknown()).min(1).max(START_BATCH_MAX) });

/** One start of the batch, checked, under its lower-cased id. */
interface BatchItem {
  executionId: string;
  payload: StartExecutionPayload;
}

/** One start's answer, before its id is put back. */
type Answer = { status: string; queue?: { position: number; queuedAt: string } } | { error: ErrorBody };

/** A workflow version as the batch resolved it once for all its starts, or why it could not. */
type Resolved = { ok: true; version: WorkflowVersionView; costCaps: Record<string, NodeCostCap> } | { ok: false; error: unknown };

/**
 * `orchestrator.execution.startBatch`: many starts of the caller's workspace (a scheduler claim's
 * fires) for about the cost of one. What a burst of single starts pays per start is paid once:
 *
 * - one query finds which ids already have an execution (those answer with it, as a single start
 *   under an existing id does, even if their workflow was deleted since);
 * - each distinct (workflow, version or latest) is read from the registry once, and priced once
 *   (the credit check: `insufficient_credits` for every start of a version that costs money when
 *   the workspace has none);
 * - the new runs are decided without reading their streams, then admitted and appended as the
 *   single start does (`AdmissionService.startMany`).
 *
 * Each start has its own answer, in the request's order: one that fails (a malformed id, an input
 * that does not fit the schema, a deleted workflow, the database away) leaves the others started.
 * A start repeated in the batch is one execution. Tenancy: every read and write is in the
 * caller's workspace (the registry resolves versions in it; an id taken in another workspace
 * answers as a single start does).
 */
@Injectable()
export class BatchStarts {
  private readonly logger = new Logger('batch-starts');

  constructor(
    private readonly inputs: InputValidator,
    private readonly client: RpcClient,
    private readonly executions: ExecutionHandler,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly pricing: StartPricing,
    private readonly admission: AdmissionService,
  ) {}

  async start(body: unknown, ctx: RequestContext): Promise<StartExecutionBatchResult> {
    const { starts } = parseRequest(batchSchema, body);
    const answers = new Map<string, Promise<Answer>>();
    const fresh: BatchItem[] = [];
    const checked = starts.map((raw, i) => checkItem(raw, i));
    const ids = checked.flatMap((c) => ('executionId' in c ? [c.executionId] : []));
    // The versions are read while the ids are checked: a fire waits for the slower of the two, not both.
    const versions = new Map<string, Promise<Resolved>>();
    for (const item of checked) {
      if (!('executionId' in item)) continue;
      const key = versionKey(item.payload);
      if (!versions.has(key)) versions.set(key, this.resolve(item.payload, ctx));
    }
    const existing = await this.store.existingStreams(
      [...new Set(ids)].map((id) => executionStreamId(id)),
      { workspaceId: ctx.workspaceId },
    );
    // The first start of a repeated id is the one that runs: later copies must not race it for the stream.
    const seen = new Set<string>();
    for (const item of checked) {
      if (!('executionId' in item) || seen.has(item.executionId)) continue;
      seen.add(item.executionId);
      if (existing.has(executionStreamId(item.executionId))) answers.set(item.executionId, this.existing(item.executionId, ctx));
      else fresh.push(item);
    }
    for (const [id, answer] of this.startFresh(fresh, versions, ctx)) answers.set(id, answer);
    const results = await Promise.all(
      checked.map(async (item): Promise<StartExecutionBatchItem> => {
        if (!('executionId' in item)) return { executionId: typeof item.rawId === 'string' ? item.rawId : '', error: item.error };
        return { executionId: item.executionId, ...(await answers.get(item.executionId)!) };
      }),
    );
    return { results };
  }

  /** The answer for an id that already has an execution: that execution's status. */
  private async existing(executionId: string, ctx: RequestContext): Promise<Answer> {
    try {
      const { state } = await this.executions.load(executionStreamId(executionId), ctx.workspaceId);
      return { status: state.status };
    } catch (e) {
      return { error: this.errorBody(e) };
    }
  }

  /** Starts the new runs: versions resolved and priced once each (`versions`), inputs checked each, then admitted together. */
  private startFresh(
    items: BatchItem[],
    versions: ReadonlyMap<string, Promise<Resolved>>,
    ctx: RequestContext,
  ): Map<string, Promise<Answer>> {
    const answers = new Map<string, Promise<Answer>>();
    if (items.length === 0) return answers;
    const started = (async () => {
      const ready: Array<{ item: BatchItem; version: WorkflowVersionView; costCaps: Record<string, NodeCostCap> }> = [];
      const refused = new Map<string, ErrorBody>();
      for (const item of items) {
        const resolved = await versions.get(versionKey(item.payload))!;
        if (!resolved.ok) {
          refused.set(item.executionId, this.errorBody(resolved.error));
          continue;
        }
        const { version, costCaps } = resolved;
        try {
          this.inputs.assertValid(
            { workspaceId: ctx.workspaceId, workflowId: version.workflowId, version: version.version },
            version.graph.input_schema,
            item.payload.input,
          );
          ready.push({ item, version, costCaps });
        } catch (e) {
          refused.set(item.executionId, this.errorBody(e));
        }
      }
      const outcomes = await this.admission.startMany(
        ready.map(({ item, version, costCaps }) => ({
          executionId: item.executionId,
          workspaceId: ctx.workspaceId,
          workflowId: version.workflowId,
          workflowVersion: version.version,
          graph: version.graph,
          input: item.payload.input,
          trigger: item.payload.trigger ?? { type: 'api', by: ctx.actor.id },
          costCaps,
        })),
        ctx,
      );
      const byId = new Map<string, Answer>();
      for (const [id, error] of refused) byId.set(id, { error });
      ready.forEach(({ item }, i) => {
        const outcome = outcomes[i];
        if (outcome.status === 'rejected') byId.set(item.executionId, { error: this.errorBody(startError(outcome.reason)) });
        else if (outcome.value.queued) {
          const { position, queuedAt } = outcome.value;
          byId.set(item.executionId, { status: 'pending', queue: { position, queuedAt } });
        } else byId.set(item.executionId, { status: outcome.value.outcome.state.status });
      });
      return byId;
    })();
    for (const item of items)
      answers.set(
        item.executionId,
        started.then((byId) => byId.get(item.executionId)!),
      );
    return answers;
  }

  /**
   * A typed error as it travels; anything else (the database, a bug) logged and answered
   * `internal` without its message, as the RPC server answers a single start that threw it.
   */
  private errorBody(e: unknown): ErrorBody {
    if (e instanceof FlowstackError) return e.toBody();
    this.logger.error(`a start of a batch failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { code: 'internal', message: 'internal error' };
  }

  /** A version read once for every start of the batch that names it, and its price snapshot. */
  private async resolve(payload: StartExecutionPayload, ctx: RequestContext): Promise<Resolved> {
    try {
      const version = await this.client.request<WorkflowVersionView>(
        Rpc.registry.workflowVersionGet,
        { workflowId: payload.workflowId, version: payload.version },
        ctx,
      );
      return { ok: true, version, costCaps: await this.pricing.snapshot(version.graph, ctx) };
    } catch (error) {
      return { ok: false, error };
    }
  }
}

/** `latest` and a pinned number are different keys: the batch resolves each as it was asked. */
const versionKey = (p: StartExecutionPayload): string => `${p.workflowId}@${p.version ?? 'latest'}`;

/** One start's fields, or the `validation_failed` that refuses it alone (paths under `starts[i]`). */
function checkItem(raw: unknown, i: number): BatchItem | { rawId: unknown; error: ErrorBody } {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const problem = (field: string, message: string, rule: string) => ({
    rawId: p.executionId,
    error: new FlowstackError('validation_failed', `starts[${i}].${field} ${message}`, [
      { path: `starts[${i}].${field}`, message, rule },
    ]).toBody(),
  });
  if (typeof p.executionId !== 'string' || !UUID.test(p.executionId))
    return problem('executionId', 'must be a UUID', 'invalid_uuid');
  if (typeof p.workflowId !== 'string' || p.workflowId.length === 0) return problem('workflowId', 'is required', 'required');
  if (p.version !== undefined && (!Number.isInteger(p.version) || (p.version as number) < 1))
    return problem('version', 'must be an integer of at least 1', 'invalid_version');
  return { executionId: p.executionId.toLowerCase(), payload: p as unknown as StartExecutionPayload };
}

/** What a single start would have thrown for this, as the batch's per-start answer. */
function startError(e: unknown): unknown {
  // The registry validates graphs on save, so this means a version saved before a rule existed.
  if (e instanceof ExecutionRuleViolation)
    return new FlowstackError('invalid_graph', `workflow version cannot run: ${e.message}`);
  return e;
}
