import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  FlowstackError,
  creditsStreamId,
  type ChargeHoldRequest,
  type CreditBalanceView,
  type CreditEntryView,
  type CreditTransactionsQuery,
  type CreditsEvent,
  type GrantCreditsRequest,
  type HoldCreditsRequest,
  type HoldResultView,
  type Page,
  type ReleaseHoldRequest,
  type RequestContext,
  type SettleResultView,
} from '@flowstack/contracts';
import { DEFAULT_SCHEMA } from '@flowstack/event-store';
import { PG_POOL } from '@flowstack/service-kit';
import { availableBalance, holdOutcome, LedgerRuleViolation, type LedgerCommand, type LedgerState } from '../domain';
import { BILLING_CONFIG, type BillingConfig } from '../billing.config';
import { CLOCK, type Clock } from '../clock';
import { LedgerHandler, type LedgerOutcome } from '../ledger/ledger.handler';

/** The workspace and caller of one request, from its headers (never its body). */
export interface BillingScope {
  workspaceId: string;
  ctx: RequestContext;
}

const balanceOf = (state: LedgerState): CreditBalanceView => ({
  posted: state.posted,
  held: state.held,
  available: availableBalance(state),
});

/** Credits of one workspace: grants, balance, entries, and the holds the orchestrator asks for. */
@Injectable()
export class CreditsService {
  constructor(
    private readonly ledger: LedgerHandler,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(BILLING_CONFIG) private readonly config: BillingConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async grant({ workspaceId, ctx }: BillingScope, request: GrantCreditsRequest): Promise<CreditBalanceView> {
    const command: LedgerCommand = {
      type: 'GrantCredits',
      data: {
        grantId: request.grantId ?? randomUUID(),
        amount: request.amount,
        grantedBy: ctx.actor.id,
        ...(request.reason === undefined ? {} : { reason: request.reason }),
        now: this.now(),
      },
    };
    return balanceOf((await this.run(workspaceId, command, ctx)).state);
  }

  async balance({ workspaceId }: BillingScope): Promise<CreditBalanceView> {
    return balanceOf((await this.ledger.load(workspaceId)).state);
  }

  async hold({ workspaceId, ctx }: BillingScope, request: HoldCreditsRequest): Promise<HoldResultView> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + (request.ttlMs ?? this.config.holdTtlMs)).toISOString();
    const { holdId, amount, executionId, nodeId } = request;
    const { state } = await this.run(
      workspaceId,
      { type: 'HoldCredits', data: { holdId, amount, executionId, nodeId, expiresAt, now: now.toISOString() } },
      ctx,
    );
    return { holdId, outcome: holdOutcome(state, holdId) ?? 'refused', available: availableBalance(state) };
  }

  async charge({ workspaceId, ctx }: BillingScope, request: ChargeHoldRequest): Promise<SettleResultView> {
    const { holdId, cost, causationEventId } = request;
    const outcome = await this.run(
      workspaceId,
      { type: 'ChargeHold', data: { holdId, cost, causationEventId, now: this.now() } },
      ctx,
      causationEventId,
    );
    return this.settled(holdId, outcome);
  }

  async release({ workspaceId, ctx }: BillingScope, request: ReleaseHoldRequest): Promise<SettleResultView> {
    const outcome = await this.run(
      workspaceId,
      { type: 'ReleaseHold', data: { holdId: request.holdId, reason: request.reason, now: this.now() } },
      ctx,
    );
    return this.settled(request.holdId, outcome);
  }

  /** Releases the workspace's holds due by now (the sweep); how many it expired. */
  async expire(workspaceId: string, ctx: RequestContext): Promise<number> {
    const { appended } = await this.run(workspaceId, { type: 'ExpireHolds', data: { now: this.now() } }, ctx);
    return appended.length;
  }

  /** The ledger's entries, newest first, `limit` a page; `cursor` is the position to continue below. */
  async transactions({ workspaceId }: BillingScope, query: CreditTransactionsQuery): Promise<Page<CreditEntryView>> {
    const before = query.cursor === undefined ? null : Number(query.cursor);
    const { rows } = await this.pool.query<{ stream_position: number; type: string; data: Record<string, unknown> }>(
      `SELECT stream_position, type, data FROM ${DEFAULT_SCHEMA}.events
       WHERE stream_id = $1 AND workspace_id = $2 AND ($3::int IS NULL OR stream_position < $3::int)
       ORDER BY stream_position DESC LIMIT $4`,
      [creditsStreamId(workspaceId), workspaceId, before, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => entryOf(r.stream_position, { type: r.type, data: r.data } as CreditsEvent)),
      nextCursor: rows.length > query.limit ? String(page[page.length - 1].stream_position) : null,
    };
  }

  private async run(
    workspaceId: string,
    command: LedgerCommand,
    ctx: RequestContext,
    causationId?: string,
  ): Promise<LedgerOutcome> {
    try {
      return await this.ledger.handle(workspaceId, command, ctx, causationId);
    } catch (e) {
      if (!(e instanceof LedgerRuleViolation)) throw e;
      const code = e.code === 'unknown_hold' ? 'not_found' : e.code === 'hold_conflict' ? 'conflict' : 'validation_failed';
      throw new FlowstackError(code, e.message, [
        { path: typeof e.details?.field === 'string' ? e.details.field : 'holdId', message: e.message, rule: e.code },
      ]);
    }
  }

  private settled(holdId: string, { state, appended }: LedgerOutcome): SettleResultView {
    return {
      holdId,
      outcome: holdOutcome(state, holdId) ?? null,
      changed: appended.length > 0,
      available: availableBalance(state),
    };
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

/** One ledger event as an entry of `GET /credits/transactions`. */
export function entryOf(position: number, event: CreditsEvent): CreditEntryView {
  const base = { position, type: event.type };
  switch (event.type) {
    case 'CreditsGranted': {
      const d = event.data;
      return {
        ...base,
        at: d.grantedAt,
        amount: d.amount,
        grantId: d.grantId,
        grantedBy: d.grantedBy,
        ...(d.reason ? { reason: d.reason } : {}),
      };
    }
    case 'CreditsHeld': {
      const d = event.data;
      return {
        ...base,
        at: d.heldAt,
        amount: d.amount,
        holdId: d.holdId,
        executionId: d.executionId,
        nodeId: d.nodeId,
        expiresAt: d.expiresAt,
      };
    }
    case 'CreditsHoldRefused': {
      const d = event.data;
      return {
        ...base,
        at: d.refusedAt,
        amount: d.amount,
        holdId: d.holdId,
        executionId: d.executionId,
        nodeId: d.nodeId,
        available: d.available,
      };
    }
    case 'CreditsCharged': {
      const d = event.data;
      return {
        ...base,
        at: d.chargedAt,
        amount: d.amount,
        holdId: d.holdId,
        executionId: d.executionId,
        nodeId: d.nodeId,
        causationEventId: d.causationEventId,
        uncollected: d.uncollected,
      };
    }
    case 'CreditsReleased': {
      const d = event.data;
      return {
        ...base,
        at: d.releasedAt,
        amount: d.amount,
        holdId: d.holdId,
        executionId: d.executionId,
        nodeId: d.nodeId,
        reason: d.reason,
      };
    }
    case 'HoldExpired': {
      const d = event.data;
      return { ...base, at: d.expiredAt, amount: d.amount, holdId: d.holdId, executionId: d.executionId, nodeId: d.nodeId };
    }
  }
}
