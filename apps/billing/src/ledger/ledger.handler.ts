import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Pool } from 'pg';
import { creditsStreamId, type CreditsEvent, type RequestContext } from '@flowstack/contracts';
import {
  PostgresEventStore,
  StreamVersionConflict,
  type AppendResult,
  type NewEvent,
  type StoredEvent,
} from '@flowstack/event-store';
import { PG_POOL } from '@flowstack/service-kit';
import { decide, foldLedger, initialLedger, LedgerRuleViolation, type LedgerCommand, type LedgerState } from '../domain';
import { BILLING_SCHEMA } from '../database/billing.migration';
import { EVENT_STORE } from '../billing.config';
import { LedgerStateCache } from './ledger-state.cache';

/** What one command's caller learns: its own appended events and the ledger after the batch it was in. */
export interface LedgerOutcome {
  state: LedgerState;
  /** Events this command appended; empty when it was a no-op (already done). */
  appended: StoredEvent[];
}

interface Pending {
  command: LedgerCommand;
  ctx: RequestContext;
  causationId?: string;
  resolve(outcome: LedgerOutcome): void;
  reject(error: unknown): void;
}

/** Another replica moved the ledger; with one queue per ledger per replica this many reloads is plenty. */
const MAX_CONFLICT_RETRIES = 50;
/** Commands one append carries at most (one round trip for up to this many holds). */
const MAX_BATCH = 200;

/**
 * The one write path of a ledger, the orchestrator's "load, fold, decide, append" seam: load the
 * cached state (else the cached state + the events after it), decide, append with the expected
 * position; a version conflict reads only the events after the cached position and decides again.
 *
 * Commands for one ledger queue in this replica and are decided in batches: each batch is decided
 * command by command on the evolving state and appended in one statement, so a burst of holds costs
 * one append per batch instead of one conflict-and-retry per hold. Only another replica's append
 * conflicts. A command the rules refuse fails alone; the rest of its batch goes on.
 */
@Injectable()
export class LedgerHandler {
  private readonly logger = new Logger('ledger');
  private readonly queues = new Map<string, Pending[]>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly cache: LedgerStateCache,
  ) {}

  /** Decides `command` on the workspace's ledger and appends what it decided. */
  handle(workspaceId: string, command: LedgerCommand, ctx: RequestContext, causationId?: string): Promise<LedgerOutcome> {
    const streamId = creditsStreamId(workspaceId);
    return new Promise<LedgerOutcome>((resolve, reject) => {
      const queue = this.queues.get(streamId);
      const pending: Pending = { command, ctx, causationId, resolve, reject };
      if (queue) {
        queue.push(pending);
        return;
      }
      this.queues.set(streamId, [pending]);
      void this.drain(streamId, workspaceId);
    });
  }

  /** The ledger's current state (cached state + the events after it). */
  async load(workspaceId: string): Promise<{ state: LedgerState; position: number }> {
    const streamId = creditsStreamId(workspaceId);
    const cached = this.cache.get(streamId);
    const after = cached?.position ?? 0;
    const events = await this.store.readStream(streamId, { workspaceId, afterPosition: after });
    const state = foldLedger(events.map(toCreditsEvent), cached?.state ?? initialLedger());
    const position = events.length ? events[events.length - 1].streamPosition : after;
    if (events.length) this.cache.set(streamId, state, position);
    return { state, position };
  }

  private async drain(streamId: string, workspaceId: string): Promise<void> {
    const queue = this.queues.get(streamId)!;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        try {
          await this.runBatch(streamId, workspaceId, batch);
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.queues.delete(streamId);
    }
  }

  private async runBatch(streamId: string, workspaceId: string, batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      // The cached state as is first, without a read: the append's expected position proves it
      // current. A batch that decides nothing on it may just have missed events: decided again.
      const cached = attempt === 1 ? this.cache.get(streamId) : undefined;
      const { state: before, position } = cached ?? (await this.load(workspaceId));
      let state = before;
      const decided: Array<{ events: CreditsEvent[] } | { error: unknown }> = [];
      const outgoing: NewEvent[] = [];
      const owners: number[] = [];
      batch.forEach((p, i) => {
        try {
          const events = decide(p.command, state);
          state = foldLedger(events, state);
          decided.push({ events });
          for (const event of events) {
            outgoing.push(toNewEvent(event, p.ctx, p.causationId));
            owners.push(i);
          }
        } catch (e) {
          if (!(e instanceof LedgerRuleViolation)) throw e;
          decided.push({ error: e });
        }
      });
      if (outgoing.length === 0 && cached) continue;
      let appended: StoredEvent[] = [];
      if (outgoing.length > 0) {
        try {
          const result = await this.append(streamId, workspaceId, outgoing, position, before, state);
          appended = result.events;
          this.cache.set(streamId, state, result.lastPosition);
        } catch (e) {
          if (!(e instanceof StreamVersionConflict) || attempt >= MAX_CONFLICT_RETRIES) throw e;
          this.logger.debug(`conflict on ${streamId} (attempt ${attempt}); reloading`);
          continue;
        }
      }
      batch.forEach((p, i) => {
        const d = decided[i];
        if ('error' in d) p.reject(d.error);
        else p.resolve({ state, appended: appended.filter((_, j) => owners[j] === i) });
      });
      return;
    }
  }

  /**
   * Appends at the expected position. When the ledger's earliest open hold changes, its row in
   * `billing.ledgers` (what the expiry sweep reads) is written in the same transaction.
   */
  private async append(
    streamId: string,
    workspaceId: string,
    events: NewEvent[],
    expectedPosition: number,
    before: LedgerState,
    after: LedgerState,
  ): Promise<AppendResult> {
    const next = nextExpiry(after);
    if (next === nextExpiry(before)) {
      return this.store.append(streamId, workspaceId, events, { expectedPosition });
    }
    const client = await this.pool.connect();
    let result: AppendResult;
    try {
      await client.query('BEGIN');
      result = await this.store.append(streamId, workspaceId, events, { expectedPosition, client });
      await client.query(
        `INSERT INTO ${BILLING_SCHEMA}.ledgers (workspace_id, position, next_expiry) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id) DO UPDATE SET position = excluded.position, next_expiry = excluded.next_expiry
         WHERE ${BILLING_SCHEMA}.ledgers.position < excluded.position`,
        [workspaceId, result.lastPosition, next],
      );
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    await this.store.publish(result.events);
    return result;
  }
}

/** The earliest `expiresAt` of the ledger's open holds (ISO), or null when none is open. */
export function nextExpiry(state: LedgerState): string | null {
  let min: number | null = null;
  for (const hold of state.holds.values()) {
    const at = Date.parse(hold.expiresAt);
    if (min === null || at < min) min = at;
  }
  return min === null ? null : new Date(min).toISOString();
}

export const toCreditsEvent = (e: StoredEvent): CreditsEvent => ({ type: e.type, data: e.data }) as CreditsEvent;

/** Which billing process decided an entry (the audit trail's answer to "which replica"). */
const REPLICA = `${hostname()}:${process.pid}`;

function toNewEvent(event: CreditsEvent, ctx: RequestContext, causationId?: string): NewEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: {
      replica: REPLICA,
      correlationId: ctx.correlationId,
      ...(causationId ? { causationId } : {}),
      actor: ctx.actor,
      ...(ctx.traceparent ? { traceparent: ctx.traceparent } : {}),
    },
  };
}
