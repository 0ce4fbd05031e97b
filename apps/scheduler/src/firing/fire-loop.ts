import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { FlowstackError, Rpc, type ExecutionView, type FireOutcome } from '@flowstack/contracts';
import { RpcClient, systemContext } from '@flowstack/messaging';
import { PG_POOL } from '@flowstack/service-kit';
import { CLOCK, type Clock } from '../clock';
import { decideOverlap, fireExecutionId, planFires, prepareSlotsAfter, type ScheduleTiming } from '../domain';
import { missedOf, timingOf } from '../schedules/schedule.timing';
import type { Schedule } from '../schedules/schedule.entity';
import { FIRING_SETTINGS, type FiringSettings } from './firing.settings';
import { StartBatcher, type IdentifiedStart } from './start-batcher';

/** A due schedule as the claim query reads it (snake_case columns of `scheduler.schedules`). */
interface DueRow {
  id: string;
  workspace_id: string;
  workflow_id: string;
  workflow_version: number | null;
  kind: Schedule['kind'];
  cron: string | null;
  timezone: string | null;
  every_seconds: number | null;
  anchor: Date | null;
  at: Date | null;
  input: unknown;
  missed_policy: Schedule['missedPolicy'];
  missed_max_runs: number | null;
  missed_window_seconds: number | null;
  overlap: Schedule['overlap'];
  fire_cursor: Date;
  buffered_slot: Date | null;
}

/** One SQL statement and its parameters. */
type Statement = [string, unknown[]];

/** What one claimed schedule's fire writes: new fires, its new cursor, and any other statement. */
interface ClaimRecord {
  fires: {
    scheduleId: string;
    workspaceId: string;
    slot: Date;
    executionId: string | null;
    outcome: FireOutcome;
    error: string | null;
  }[];
  cursor: { id: string; cursor: Date; next: Date | null; buffered: Date | null };
  statements: Statement[];
  timing: ScheduleTiming;
}

/** How many schedules' next slots are worked out per turn of the event loop after a claim. */
const PREPARE_SLICE = 100;

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Some schedules of a claim were left due (their fires failed transiently): the round waits a poll interval. */
class DeferredFires extends Error {
  constructor(deferred: number, claimed: number, cause: unknown) {
    super(`${deferred} of ${claimed} claimed schedules left due: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * The one loop of a replica: claims due schedules in Postgres, fires them, records the fires, and
 * sleeps until the earliest next fire or the poll interval, whichever comes first. No timer per
 * schedule: memory and idle CPU do not grow with the number of schedules.
 *
 * Exactly once with any number of replicas:
 * - a round runs in one transaction that locks its due rows with `FOR UPDATE SKIP LOCKED`, so two
 *   replicas never work on the same schedule at once;
 * - the execution of a fire is started under `fireExecutionId(schedule, slot)` while the row is
 *   locked, and the fire (unique on (schedule, slot)) and the schedule's new cursor commit together
 *   after it. A replica that dies in between rolls back: the next one re-plans the same slot and
 *   starts the same id, which the orchestrator answers with the execution that already exists.
 */
@Injectable()
export class FireLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('fire-loop');
  private timer?: NodeJS.Timeout;
  private round?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly starts: StartBatcher;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly rpc: RpcClient,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FIRING_SETTINGS) private readonly settings: FiringSettings,
  ) {
    this.starts = new StartBatcher(rpc);
  }

  onApplicationBootstrap(): void {
    if (this.settings.fire) this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
  }

  /** Looks for due schedules now (after a change on this replica); other replicas notice on their next poll. */
  wake(): void {
    if (this.stopped || !this.settings.fire) return;
    if (this.round) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.round = this.runRound().finally(() => {
      this.round = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async runRound(): Promise<void> {
    let delay = this.settings.pollMs;
    try {
      await this.claimAll();
      const earliest = await this.earliestDue();
      if (earliest) delay = Math.min(delay, this.clock.realDelay(earliest.getTime() - this.clock.now().getTime()));
    } catch (e) {
      // Postgres or the orchestrator unreachable: the fires stay due (rolled back), retried next round.
      this.logger.warn(`fire round failed, retrying in ${delay} ms: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!this.stopped && !this.again) this.timer = setTimeout(() => this.wake(), Math.ceil(delay));
  }

  /**
   * Claims until nothing is due. One claim first; each claim whose query comes back full adds
   * another (up to `parallelClaims`) at once, before its own runs start. So fewer due schedules
   * than a batch go out as one request (claims started together would split them between them,
   * and the orchestrator would start the last part only after the others' work), while a burst of
   * many batches is not bounded by one round trip to the orchestrator after another. SKIP LOCKED
   * gives each claim its own rows.
   */
  private async claimAll(): Promise<void> {
    const claimers: Array<Promise<void>> = [];
    const widen = (): void => {
      if (this.stopped || claimers.length >= this.settings.parallelClaims) return;
      claimers.push(
        (async () => {
          while (!this.stopped && (await this.fireDue(widen)) === this.settings.batchSize);
        })(),
      );
    };
    widen();
    let failed: PromiseRejectedResult | undefined;
    for (let settled = 0; settled < claimers.length; settled++) {
      const [outcome] = await Promise.allSettled([claimers[settled]]);
      if (outcome.status === 'rejected') failed ??= outcome;
    }
    if (failed) throw failed.reason;
  }

  private async earliestDue(): Promise<Date | undefined> {
    const { rows } = await this.pool.query<{ at: Date | null }>(
      `SELECT min(next_fire_at) AS at FROM scheduler.schedules
        WHERE enabled AND deleted_at IS NULL AND next_fire_at IS NOT NULL`,
    );
    return rows[0]?.at ?? undefined;
  }

  /**
   * One claim: up to `batchSize` due schedules, fired and recorded in one transaction. Returns how
   * many; calls `onFull` as soon as its query returns a full batch (more may be due).
   */
  private async fireDue(onFull: () => void): Promise<number> {
    const now = this.clock.now();
    const client = await this.pool.connect();
    let claimed = 0;
    let left: DeferredFires | undefined;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DueRow>(
        `SELECT id, workspace_id, workflow_id, workflow_version, kind, cron, timezone, every_seconds, anchor, at, input,
                missed_policy, missed_max_runs, missed_window_seconds, overlap, fire_cursor, buffered_slot
           FROM scheduler.schedules
          WHERE enabled AND deleted_at IS NULL AND next_fire_at IS NOT NULL AND next_fire_at <= $1
          ORDER BY next_fire_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED`,
        [now, this.settings.batchSize],
      );
      if (rows.length === this.settings.batchSize) onFull();
      // The runs start concurrently; their records are written once every schedule of the claim has
      // settled, in two statements for the whole claim (the fires, the cursors) plus one per
      // released buffered fire: a claim holds its connection and row locks for as few round trips
      // as it can.
      // A schedule whose fire failed transiently (the orchestrator away, a timeout) is left as it
      // was: nothing of it is recorded, its cursor does not move, and the next round fires it
      // again under the same ids. The others' records commit.
      const settled = await Promise.allSettled(rows.map((row) => this.fireSchedule(row, now)));
      const deferred = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      const records = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      for (const [text, values] of records.flatMap((r) => r.statements)) await client.query(text, values);
      const fires = records.flatMap((r) => r.fires);
      if (fires.length > 0) {
        await client.query(
          // A fire already recorded (never, while the row lock holds; kept as the last line of defence) stays as it was.
          `INSERT INTO scheduler.schedule_fires (schedule_id, slot, workspace_id, execution_id, fired_at, outcome, error)
           SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[])
           ON CONFLICT (schedule_id, slot) DO NOTHING`,
          [
            fires.map((f) => f.scheduleId),
            fires.map((f) => f.slot),
            fires.map((f) => f.workspaceId),
            fires.map((f) => f.executionId),
            fires.map(() => now),
            fires.map((f) => f.outcome),
            fires.map((f) => f.error),
          ],
        );
      }
      const cursors = records.map((r) => r.cursor);
      if (cursors.length > 0) {
        await client.query(
          `UPDATE scheduler.schedules s SET fire_cursor = c.cursor, next_fire_at = c.next, buffered_slot = c.buffered
             FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[]) AS c(id, cursor, next, buffered)
            WHERE s.id = c.id`,
          [cursors.map((c) => c.id), cursors.map((c) => c.cursor), cursors.map((c) => c.next), cursors.map((c) => c.buffered)],
        );
      }
      await client.query('COMMIT');
      this.prepareNextFires(records);
      if (deferred.length > 0) left = new DeferredFires(deferred.length, rows.length, deferred[0].reason);
      claimed = rows.length;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    if (left) throw left;
    return claimed;
  }

  /**
   * Works out, after the claim, the slot that follows each schedule's next fire, a slice per turn
   * of the event loop: planning that fire then asks croner nothing, so a burst of schedules with
   * patterns of their own does not spend its lateness in croner (see `prepareSlotsAfter`).
   */
  private prepareNextFires(records: readonly ClaimRecord[]): void {
    const slice = (from: number): void => {
      for (const { timing, cursor } of records.slice(from, from + PREPARE_SLICE)) {
        if (cursor.next) prepareSlotsAfter(timing, cursor.next);
      }
      if (from + PREPARE_SLICE < records.length && !this.stopped) setImmediate(() => slice(from + PREPARE_SLICE));
    };
    setImmediate(() => slice(0));
  }

  /** Fires what is due of one locked schedule; returns what records it. */
  private async fireSchedule(row: DueRow, now: Date): Promise<ClaimRecord> {
    const statements: Statement[] = [];
    const timing = timingOf({
      kind: row.kind,
      cron: row.cron,
      timezone: row.timezone,
      everySeconds: row.every_seconds,
      anchor: row.anchor,
      at: row.at,
    });
    const missed = missedOf({
      missedPolicy: row.missed_policy,
      missedMaxRuns: row.missed_max_runs,
      missedWindowSeconds: row.missed_window_seconds,
    });
    const plan = planFires({ timing, missed, cursor: row.fire_cursor, now, graceMs: this.settings.graceMs });
    let buffered = row.buffered_slot;
    let running = row.overlap !== 'allow' && (plan.fire.length > 0 || buffered) ? await this.runningCount(row) : 0;
    const fires: { slot: Date; executionId: string | null; outcome: FireOutcome; error: string | null }[] = [];
    if (buffered && running === 0) {
      const started = await this.start(row, buffered);
      statements.push([
        `UPDATE scheduler.schedule_fires SET outcome = $3, execution_id = $4, error = $5, fired_at = $6
          WHERE schedule_id = $1 AND slot = $2`,
        [row.id, buffered, started.outcome, started.executionId, started.error, now],
      ]);
      if (started.active) running++;
      buffered = null;
    }
    for (const slot of plan.fire) {
      const decision = decideOverlap(row.overlap, running, buffered ? 1 : 0);
      if (decision === 'start') {
        const started = await this.start(row, slot);
        if (started.active) running++;
        fires.push({ slot, ...started });
      } else if (decision === 'buffer') {
        buffered = slot;
        fires.push({ slot, executionId: null, outcome: 'buffered', error: null });
      } else {
        fires.push({ slot, executionId: null, outcome: 'skipped_overlap', error: null });
      }
    }
    // A buffered fire is looked at again after a poll interval, or at the next slot if sooner.
    const recheck = buffered ? new Date(now.getTime() + this.settings.pollMs) : undefined;
    const next = plan.next && recheck ? (plan.next < recheck ? plan.next : recheck) : (plan.next ?? recheck ?? null);
    if (plan.skipped > 0) {
      this.logger.log(`schedule ${row.id}: ${plan.skipped} missed slot(s) not fired (missed: ${row.missed_policy})`);
    }
    return {
      fires: fires.map((f) => ({ scheduleId: row.id, workspaceId: row.workspace_id, ...f })),
      cursor: { id: row.id, cursor: plan.cursor, next, buffered },
      statements,
      timing,
    };
  }

  /**
   * Starts the fire's execution under its derived id, in a batch with the other starts the claim
   * asks for at once (`StartBatcher`). A refusal that retrying cannot change (the workflow was
   * deleted, the input no longer fits its schema, no credit) is recorded as a failed fire; a
   * transient one (`unavailable`) throws, so this schedule's fires are not recorded and it is
   * fired again (under the same ids) after a poll interval.
   */
  private async start(
    row: DueRow,
    slot: Date,
  ): Promise<{ executionId: string | null; outcome: FireOutcome; error: string | null; active: boolean }> {
    const executionId = fireExecutionId(row.id, slot);
    const payload: IdentifiedStart = {
      workflowId: row.workflow_id,
      ...(row.workflow_version !== null ? { version: row.workflow_version } : {}),
      input: row.input,
      executionId,
      trigger: { type: 'schedule', by: row.id },
    };
    try {
      const started = await this.starts.start(row.workspace_id, payload);
      if ('error' in started) throw FlowstackError.fromBody(started.error);
      return { executionId: started.executionId, outcome: 'started', error: null, active: !TERMINAL.has(started.status) };
    } catch (e) {
      if (e instanceof FlowstackError && !e.retryable) {
        return { executionId: null, outcome: 'failed', error: `${e.code}: ${e.message}`, active: false };
      }
      throw e;
    }
  }

  /** 1 when the schedule's latest started execution is still going, else 0 (asked of the orchestrator). */
  private async runningCount(row: DueRow): Promise<number> {
    // Committed fires only, which is all there are: the row lock keeps other replicas off this schedule.
    const { rows } = await this.pool.query<{ execution_id: string }>(
      `SELECT execution_id FROM scheduler.schedule_fires
        WHERE schedule_id = $1 AND outcome = 'started' ORDER BY slot DESC LIMIT 1`,
      [row.id],
    );
    if (!rows[0]) return 0;
    try {
      const view = await this.rpc.request<ExecutionView>(
        Rpc.orchestrator.executionGet,
        { executionId: rows[0].execution_id },
        systemContext(row.workspace_id),
      );
      return TERMINAL.has(view.status) ? 0 : 1;
    } catch (e) {
      if (e instanceof FlowstackError && e.code === 'not_found') return 0;
      throw e;
    }
  }
}
