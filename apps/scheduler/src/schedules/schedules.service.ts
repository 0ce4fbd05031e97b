import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  MAX_CATCH_UP_RUNS,
  Rpc,
  notFound,
  type CreateScheduleRequest,
  type FireView,
  type ListQuery,
  type Page,
  type ScheduleView,
  type UpdateScheduleRequest,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { AuditLog } from '@flowstack/orm';
import { CLOCK, type Clock } from '../clock';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { slotsAfter } from '../domain';
import { FireLoop } from '../firing/fire-loop';
import { decodeCursor, encodeCursor } from '@flowstack/orm';
import { Schedule } from './schedule.entity';
import { ScheduleFire } from './schedule-fire.entity';
import { checkedTiming, timingOf, type TimingFields } from './schedule.timing';
import { toFireView, toScheduleView } from './schedule.views';

/** What delete answers. */
export interface DeletedSchedule {
  id: string;
  deleted: true;
}

const streamOf = (id: string): string => `schedule-${id}`;
const TIMING_KEYS = ['kind', 'cron', 'timezone', 'everySeconds', 'at'] as const;

/**
 * Schedules of one workspace at a time. Rows are found by (id, workspace) and soft-deleted ones
 * skipped, so another tenant's schedule, a deleted one and an unknown id all answer `not_found`.
 * Every change appends its audit event in the same transaction (`AuditLog`).
 */
@Injectable()
export class SchedulesService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly rpc: RpcClient,
    private readonly loop: FireLoop,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(scope: WorkspaceScope, request: CreateScheduleRequest): Promise<ScheduleView> {
    const now = this.clock.now();
    const timing = checkedTiming(request, now);
    const version = request.version === undefined || request.version === 'latest' ? null : request.version;
    await this.assertWorkflow(scope, request.workflowId, version);
    const view = await this.audit.transaction(scope.ctx, async (em, record) => {
      const enabled = request.enabled ?? true;
      const schedule = em.create(Schedule, {
        workspaceId: scope.workspaceId,
        workflowId: request.workflowId.toLowerCase(),
        workflowVersion: version,
        ...timing,
        input: request.input ?? {},
        enabled,
        ...missedFields(request.missed),
        overlap: request.overlap ?? 'allow',
        fireCursor: now,
        nextFireAt: nextAfter(timing, now),
        bufferedSlot: null,
        createdBy: scope.ctx.actor.id,
        // The scheduler's clock, like the cursor: the first slot a schedule can fire is after it.
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      });
      await em.flush();
      await record(
        streamOf(schedule.id),
        scope.workspaceId,
        [
          {
            type: 'ScheduleCreated',
            data: { scheduleId: schedule.id, workflowId: schedule.workflowId, kind: schedule.kind, enabled },
          },
        ],
        'no_stream',
      );
      return toScheduleView(schedule);
    });
    this.loop.wake();
    return view;
  }

  async get(scope: WorkspaceScope, id: string): Promise<ScheduleView> {
    return toScheduleView(await this.findLive(this.em.fork(), scope, id));
  }

  /** Newest first; keyset pagination on (createdAt, id) like the registry's lists. */
  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<ScheduleView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.em.fork().find(
      Schedule,
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
    return { items: items.map(toScheduleView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  /**
   * PATCH semantics: the given fields replace the stored ones and the merged schedule is checked
   * as a whole. A change of timing starts it afresh from now (slots of the old timing that were
   * still due are not fired); any other change keeps the next fire as it was.
   */
  async update(scope: WorkspaceScope, id: string, changes: UpdateScheduleRequest): Promise<ScheduleView> {
    const now = this.clock.now();
    const em0 = this.em.fork();
    const current = await this.findLive(em0, scope, id);
    const timingChanged = TIMING_KEYS.some((k) => changes[k] !== undefined);
    const merged = {
      kind: changes.kind ?? current.kind,
      cron: changes.cron ?? (changes.kind && changes.kind !== 'cron' ? undefined : (current.cron ?? undefined)),
      timezone: changes.timezone ?? (changes.kind && changes.kind !== 'cron' ? undefined : (current.timezone ?? undefined)),
      everySeconds:
        changes.everySeconds ?? (changes.kind && changes.kind !== 'interval' ? undefined : (current.everySeconds ?? undefined)),
      at: changes.at ?? (changes.kind && changes.kind !== 'once' ? undefined : current.at?.toISOString()),
    };
    const sameInterval =
      merged.kind === 'interval' && current.kind === 'interval' && merged.everySeconds === current.everySeconds;
    const timing = timingChanged ? checkedTiming(merged, now, sameInterval ? current.anchor : undefined) : undefined;
    const version = changes.version === undefined ? undefined : changes.version === 'latest' ? null : changes.version;
    if (version) await this.assertWorkflow(scope, current.workflowId, version);
    const view = await this.audit.transaction(scope.ctx, async (em, record) => {
      const schedule = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (timing) {
        Object.assign(schedule, timing, { fireCursor: now, nextFireAt: nextAfter(timing, now), bufferedSlot: null });
      }
      if (version !== undefined) schedule.workflowVersion = version;
      if (changes.input !== undefined) schedule.input = changes.input;
      if (changes.overlap !== undefined) schedule.overlap = changes.overlap;
      if (changes.missed !== undefined) Object.assign(schedule, missedFields(changes.missed));
      if (changes.enabled !== undefined && changes.enabled !== schedule.enabled) this.setEnabled(schedule, changes.enabled, now);
      await em.flush();
      await record(
        streamOf(schedule.id),
        scope.workspaceId,
        [{ type: 'ScheduleUpdated', data: { scheduleId: schedule.id, changed: Object.keys(changes) } }],
        'any',
      );
      return toScheduleView(schedule);
    });
    this.loop.wake();
    return view;
  }

  async remove(scope: WorkspaceScope, id: string): Promise<DeletedSchedule> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const schedule = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      schedule.deletedAt = this.clock.now();
      await em.flush();
      await record(
        streamOf(schedule.id),
        scope.workspaceId,
        [{ type: 'ScheduleDeleted', data: { scheduleId: schedule.id } }],
        'any',
      );
      return { id: schedule.id, deleted: true };
    });
  }

  /** Pause and resume; a no-op (no event) when already so. Slots that pass while paused never fire. */
  async setPaused(scope: WorkspaceScope, id: string, paused: boolean): Promise<ScheduleView> {
    const view = await this.audit.transaction(scope.ctx, async (em, record) => {
      const schedule = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (schedule.enabled === !paused) return toScheduleView(schedule);
      this.setEnabled(schedule, !paused, this.clock.now());
      await em.flush();
      const type = paused ? 'SchedulePaused' : 'ScheduleResumed';
      await record(streamOf(schedule.id), scope.workspaceId, [{ type, data: { scheduleId: schedule.id } }], 'any');
      return toScheduleView(schedule);
    });
    if (!paused) this.loop.wake();
    return view;
  }

  /** The next `count` fire times from now (as if enabled, for a paused schedule). */
  async next(scope: WorkspaceScope, id: string, count: number): Promise<{ times: string[] }> {
    const schedule = await this.findLive(this.em.fork(), scope, id);
    const from = new Date(Math.max(this.clock.now().getTime(), schedule.fireCursor.getTime()));
    return { times: slotsAfter(timingOf(schedule), from, count).map((d) => d.toISOString()) };
  }

  /** Every fire, newest slot first; the cursor is the last slot of the previous page. */
  async history(scope: WorkspaceScope, id: string, query: ListQuery): Promise<Page<FireView>> {
    const em = this.em.fork();
    const schedule = await this.findLive(em, scope, id);
    const before = query.cursor === undefined ? undefined : decodeSlotCursor(query.cursor);
    const rows = await em.find(
      ScheduleFire,
      { scheduleId: schedule.id, ...(before ? { slot: { $lt: before } } : {}) },
      { orderBy: { slot: 'desc' }, limit: query.limit + 1 },
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return { items: items.map(toFireView), nextCursor: rows.length > query.limit && last ? last.slot.toISOString() : null };
  }

  private setEnabled(schedule: Schedule, enabled: boolean, now: Date): void {
    schedule.enabled = enabled;
    if (!enabled) return;
    // Resuming starts from now: what passed while paused is not "missed", it was not wanted.
    schedule.fireCursor = now;
    schedule.bufferedSlot = null;
    schedule.nextFireAt = nextAfter(schedule, now);
  }

  /** The workflow (at `version`, when pinned) exists in the caller's workspace, else `not_found` from the registry. */
  private async assertWorkflow(scope: WorkspaceScope, workflowId: string, version: number | null): Promise<void> {
    if (!isUuid(workflowId)) throw notFound('workflow');
    if (version === null) await this.rpc.request(Rpc.registry.workflowGet, { id: workflowId }, scope.ctx);
    else await this.rpc.request(Rpc.registry.workflowVersionGet, { workflowId, version }, scope.ctx);
  }

  private async findLive(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Schedule> {
    if (!isUuid(id)) throw notFound('schedule');
    const schedule = await em.findOne(
      Schedule,
      { id: id.toLowerCase(), workspaceId: scope.workspaceId, deletedAt: null },
      lockMode ? { lockMode } : {},
    );
    if (!schedule) throw notFound('schedule');
    return schedule;
  }
}

const nextAfter = (timing: TimingFields, now: Date): Date | null => slotsAfter(timingOf(timing), now, 1)[0] ?? null;

function missedFields(missed: CreateScheduleRequest['missed']) {
  const policy = missed?.policy ?? 'run_once';
  if (policy !== 'catch_up' && (missed?.maxRuns !== undefined || missed?.windowSeconds !== undefined)) {
    throw new FlowstackError(
      'validation_failed',
      'request is invalid: missed.maxRuns and missed.windowSeconds apply to catch_up',
      [
        {
          path: 'missed',
          rule: 'not_applicable',
          message: `maxRuns and windowSeconds apply only to catch_up (max ${MAX_CATCH_UP_RUNS} runs)`,
        },
      ],
    );
  }
  return {
    missedPolicy: policy,
    missedMaxRuns: policy === 'catch_up' ? (missed?.maxRuns ?? null) : null,
    missedWindowSeconds: policy === 'catch_up' ? (missed?.windowSeconds ?? null) : null,
  };
}

function decodeSlotCursor(cursor: string): Date {
  const slot = new Date(cursor);
  if (Number.isNaN(slot.getTime())) {
    throw new FlowstackError('validation_failed', 'request is invalid: cursor is not from a previous page', [
      { path: 'cursor', message: 'not a cursor from a previous page', rule: 'invalid_cursor' },
    ]);
  }
  return slot;
}
