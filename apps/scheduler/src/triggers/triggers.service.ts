import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  MAX_TRIGGER_DEPTH,
  Rpc,
  notFound,
  type CreateTriggerRequest,
  type ListQuery,
  type Page,
  type TriggerFireResult,
  type TriggerFireView,
  type TriggerView,
  type UpdateTriggerRequest,
} from '@flowstack/contracts';
import { RpcClient, systemContext } from '@flowstack/messaging';
import { AuditLog, decodeCursor, encodeCursor, isUuid, type WorkspaceScope } from '@flowstack/orm';
import { evaluateExpression } from '@flowstack/workflow';
import { CLOCK, type Clock } from '../clock';
import { depthAllowed, triggerExecutionId, triggerScope, type FinishedRun } from '../domain';
import { assertExpression } from '../expression-check';
import { Trigger } from './trigger.entity';
import { toTriggerFireView, toTriggerView, type TriggerFireRow } from './trigger.views';

const streamOf = (id: string): string => `trigger-${id}`;

/** What one trigger did about one source run. */
interface TriggerFire {
  result: TriggerFireResult;
  executionId: string | null;
  depth: number;
  error: string | null;
}

/**
 * Event triggers of one workspace at a time (CRUD, audited on `trigger-<id>`), and `react`, which
 * the run-outcomes consumer calls once per source run's end (and again on a redelivery: the
 * derived execution id and the unique (trigger, source run) fire make that harmless).
 */
@Injectable()
export class TriggersService {
  private readonly logger = new Logger('triggers');

  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(scope: WorkspaceScope, request: CreateTriggerRequest): Promise<TriggerView> {
    assertExpression('condition', request.condition);
    assertExpression('input', request.input);
    const version = request.targetVersion === undefined || request.targetVersion === 'latest' ? null : request.targetVersion;
    await this.assertWorkflow(scope, request.sourceWorkflowId, null);
    await this.assertWorkflow(scope, request.targetWorkflowId, version);
    const now = this.clock.now();
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const trigger = em.create(Trigger, {
        workspaceId: scope.workspaceId,
        sourceWorkflowId: request.sourceWorkflowId.toLowerCase(),
        onOutcomes: request.on ?? ['completed'],
        condition: request.condition ?? null,
        targetWorkflowId: request.targetWorkflowId.toLowerCase(),
        targetVersion: version,
        inputMapping: request.input ?? null,
        enabled: request.enabled ?? true,
        createdBy: scope.ctx.actor.id,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await em.flush();
      await record(
        streamOf(trigger.id),
        scope.workspaceId,
        [
          {
            type: 'TriggerCreated',
            data: {
              triggerId: trigger.id,
              sourceWorkflowId: trigger.sourceWorkflowId,
              targetWorkflowId: trigger.targetWorkflowId,
              on: trigger.onOutcomes,
              enabled: trigger.enabled,
            },
          },
        ],
        'no_stream',
      );
      return toTriggerView(trigger);
    });
  }

  async get(scope: WorkspaceScope, id: string): Promise<TriggerView> {
    return toTriggerView(await this.findLive(this.em.fork(), scope, id));
  }

  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<TriggerView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Trigger,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
        ...(after
          ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toTriggerView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async update(scope: WorkspaceScope, id: string, changes: UpdateTriggerRequest): Promise<TriggerView> {
    assertExpression('condition', changes.condition);
    assertExpression('input', changes.input);
    const current = await this.findLive(this.em.fork(), scope, id);
    const version =
      changes.targetVersion === undefined ? undefined : changes.targetVersion === 'latest' ? null : changes.targetVersion;
    if (version) await this.assertWorkflow(scope, current.targetWorkflowId, version);
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const trigger = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (changes.on !== undefined) trigger.onOutcomes = changes.on;
      if (changes.condition !== undefined) trigger.condition = changes.condition;
      if (changes.input !== undefined) trigger.inputMapping = changes.input;
      if (version !== undefined) trigger.targetVersion = version;
      if (changes.enabled !== undefined) trigger.enabled = changes.enabled;
      trigger.updatedAt = this.clock.now();
      await em.flush();
      await record(
        streamOf(trigger.id),
        scope.workspaceId,
        [{ type: 'TriggerUpdated', data: { triggerId: trigger.id, changed: Object.keys(changes) } }],
        'any',
      );
      return toTriggerView(trigger);
    });
  }

  async remove(scope: WorkspaceScope, id: string): Promise<{ id: string; deleted: true }> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const trigger = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      trigger.deletedAt = this.clock.now();
      await em.flush();
      await record(streamOf(trigger.id), scope.workspaceId, [{ type: 'TriggerDeleted', data: { triggerId: trigger.id } }], 'any');
      return { id: trigger.id, deleted: true };
    });
  }

  /** What the trigger did about each source run, newest first; the cursor is the previous page's last `firedAt`. */
  async history(scope: WorkspaceScope, id: string, query: ListQuery): Promise<Page<TriggerFireView>> {
    const trigger = await this.findLive(this.em.fork(), scope, id);
    const before = query.cursor === undefined ? null : decodeTimeCursor(query.cursor);
    const rows = await this.em.getConnection().execute<TriggerFireRow[]>(
      `SELECT source_execution_id, source_outcome, result, execution_id, depth, error, fired_at
         FROM scheduler.trigger_fires
        WHERE trigger_id = ? AND (?::timestamptz IS NULL OR fired_at < ?::timestamptz)
        ORDER BY fired_at DESC LIMIT ?`,
      [trigger.id, before, before, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(toTriggerFireView);
    return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].firedAt : null };
  }

  /**
   * Fires every enabled trigger watching this run's workflow and outcome, each once. Throws only
   * when a start may succeed later (`unavailable`): the outcome is then redelivered and the
   * triggers already recorded are skipped.
   */
  async react(run: FinishedRun): Promise<void> {
    const triggers = await this.em.fork().find(Trigger, {
      workspaceId: run.workspaceId,
      sourceWorkflowId: run.workflowId,
      enabled: true,
      deletedAt: null,
    });
    const due = triggers.filter((t) => t.onOutcomes.includes(run.outcome));
    if (due.length === 0) return;
    const done = new Set(
      (
        await this.em
          .getConnection()
          .execute<{ trigger_id: string }[]>(
            `SELECT trigger_id FROM scheduler.trigger_fires WHERE source_execution_id = ? AND trigger_id = ANY(?::uuid[])`,
            [run.executionId, `{${due.map((t) => t.id).join(',')}}`],
          )
      ).map((r) => r.trigger_id),
    );
    const settled = await Promise.allSettled(
      due.filter((t) => !done.has(t.id)).map(async (t) => this.record(t, run, await this.fire(t, run))),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async fire(trigger: Trigger, run: FinishedRun): Promise<TriggerFire> {
    const depth = run.depth + 1;
    const refused = (result: TriggerFireResult, error: string | null): TriggerFire => ({
      result,
      executionId: null,
      depth,
      error,
    });
    if (!depthAllowed(run.depth)) {
      return refused('depth_exceeded', `the run would be ${depth} triggers deep; at most ${MAX_TRIGGER_DEPTH} may chain`);
    }
    const scope = triggerScope(run);
    let input: unknown;
    try {
      if (trigger.condition && (await evaluateExpression(trigger.condition, scope)) !== true) {
        return refused('condition_false', null);
      }
      input = trigger.inputMapping ? await evaluateExpression(trigger.inputMapping, scope) : (run.output ?? {});
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'expression_error';
      return refused('failed', `${code}: ${(e as Error).message}`);
    }
    try {
      const started = await this.rpc.request<{ executionId: string }>(
        Rpc.orchestrator.executionStart,
        {
          workflowId: trigger.targetWorkflowId,
          ...(trigger.targetVersion !== null ? { version: trigger.targetVersion } : {}),
          input: input ?? {},
          executionId: triggerExecutionId(trigger.id, run.executionId),
          trigger: { type: 'event', by: trigger.id, depth },
        },
        systemContext(run.workspaceId),
      );
      return { result: 'started', executionId: started.executionId, depth, error: null };
    } catch (e) {
      if (e instanceof FlowstackError && !e.retryable) return refused('failed', `${e.code}: ${e.message}`);
      throw e;
    }
  }

  private async record(trigger: Trigger, run: FinishedRun, fire: TriggerFire): Promise<void> {
    if (fire.result !== 'started' && fire.result !== 'condition_false') {
      this.logger.warn(`trigger ${trigger.id} on run ${run.executionId}: ${fire.result} (${fire.error ?? ''})`);
    }
    await this.em.getConnection().execute(
      `INSERT INTO scheduler.trigger_fires
         (trigger_id, source_execution_id, workspace_id, source_outcome, result, execution_id, depth, error, fired_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        trigger.id,
        run.executionId,
        run.workspaceId,
        run.outcome,
        fire.result,
        fire.executionId,
        fire.depth,
        fire.error,
        this.clock.now(),
      ],
    );
  }

  /** The workflow (at `version`, when pinned) exists in the caller's workspace, else `not_found`. */
  private async assertWorkflow(scope: WorkspaceScope, workflowId: string, version: number | null): Promise<void> {
    if (!isUuid(workflowId)) throw notFound('workflow');
    if (version === null) await this.rpc.request(Rpc.registry.workflowGet, { id: workflowId }, scope.ctx);
    else await this.rpc.request(Rpc.registry.workflowVersionGet, { workflowId, version }, scope.ctx);
  }

  private async findLive(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Trigger> {
    if (!isUuid(id)) throw notFound('trigger');
    const trigger = await em.findOne(
      Trigger,
      { id: id.toLowerCase(), workspaceId: scope.workspaceId, deletedAt: null },
      lockMode ? { lockMode } : {},
    );
    if (!trigger) throw notFound('trigger');
    return trigger;
  }
}

/** A history cursor: the ISO time of the previous page's last fire. */
export function decodeTimeCursor(cursor: string): string {
  const t = new Date(cursor);
  if (Number.isNaN(t.getTime())) {
    throw new FlowstackError('validation_failed', 'request is invalid: cursor is not from a previous page', [
      { path: 'cursor', message: 'not a cursor from a previous page', rule: 'invalid_cursor' },
    ]);
  }
  return t.toISOString();
}
