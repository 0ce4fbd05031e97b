import type { Pool } from 'pg';
import type { UsageGroupBy } from '@flowstack/contracts';
import { BILLING_SCHEMA } from '../database/billing.migration';
import type { UsageCounts } from './usage-report';

interface CountsRow {
  key: string;
  runs: string;
  succeeded: string;
  failed: string;
  cancelled: string;
  duration_sum: string;
  calls: string;
  input_tokens: string;
  output_tokens: string;
  cost: string;
}

const toCounts = (r: CountsRow): UsageCounts => ({
  key: r.key,
  runs: Number(r.runs),
  succeeded: Number(r.succeeded),
  failed: Number(r.failed),
  cancelled: Number(r.cancelled),
  durationSum: Number(r.duration_sum),
  calls: Number(r.calls),
  inputTokens: Number(r.input_tokens),
  outputTokens: Number(r.output_tokens),
  cost: Number(r.cost),
});

const RUN_FIGURES = `count(*)::text AS runs,
  count(*) FILTER (WHERE r.status = 'completed')::text AS succeeded,
  count(*) FILTER (WHERE r.status = 'failed')::text AS failed,
  count(*) FILTER (WHERE r.status = 'cancelled')::text AS cancelled,
  coalesce(sum(r.duration_ms) FILTER (WHERE r.status IN ('completed', 'failed', 'cancelled')), 0)::text AS duration_sum,
  coalesce(sum(n.calls), 0)::text AS calls,
  coalesce(sum(n.input_tokens), 0)::text AS input_tokens,
  coalesce(sum(n.output_tokens), 0)::text AS output_tokens,
  coalesce(sum(n.cost), 0)::text AS cost`;

/**
 * Reads the usage projection: the sums of `UsageCounts` for one workspace's runs started in
 * `[from, to)`, grouped as `usage-report.ts` defines, in SQL (one statement per grouping).
 */
export class UsageStore {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string = BILLING_SCHEMA,
  ) {}

  async report(
    workspaceId: string,
    period: { from: string; to: string },
    groupBy: UsageGroupBy,
  ): Promise<{ items: UsageCounts[]; totals: UsageCounts }> {
    const values = [workspaceId, period.from, period.to];
    // One snapshot for both statements: the projection may commit a batch between them, and the
    // groups must add up to the totals they come with.
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const items = await client.query<CountsRow>(this.sql(groupBy), values);
      const totals = await client.query<CountsRow>(this.sql('total'), values);
      await client.query('COMMIT');
      return { items: items.rows.map(toCounts), totals: totals.rows[0] ? toCounts(totals.rows[0]) : toCounts(EMPTY) };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  private sql(groupBy: UsageGroupBy | 'total'): string {
    const s = this.schema;
    const runs = `r AS (SELECT execution_id, workflow_id, started_at, status, duration_ms FROM ${s}.usage_runs
      WHERE workspace_id = $1 AND started_at >= $2::timestamptz AND started_at < $3::timestamptz)`;
    if (groupBy === 'agent' || groupBy === 'model') {
      const key = groupBy === 'agent' ? 'u.agent_id' : 'u.model';
      // Per (key, run): the run counts once in each group it touched.
      return `WITH ${runs},
        n AS (SELECT ${key} AS key, u.execution_id, count(*) AS calls, sum(u.input_tokens) AS input_tokens,
                sum(u.output_tokens) AS output_tokens, sum(u.cost) AS cost
              FROM ${s}.usage_nodes u JOIN r ON r.execution_id = u.execution_id
              WHERE u.workspace_id = $1 AND ${key} IS NOT NULL GROUP BY 1, 2)
        SELECT n.key, ${RUN_FIGURES} FROM n JOIN r ON r.execution_id = n.execution_id
        GROUP BY n.key ORDER BY n.key COLLATE "C"`;
    }
    const nodes = `n AS (SELECT u.execution_id, count(*) AS calls, sum(u.input_tokens) AS input_tokens,
        sum(u.output_tokens) AS output_tokens, sum(u.cost) AS cost
      FROM ${s}.usage_nodes u JOIN r ON r.execution_id = u.execution_id
      WHERE u.workspace_id = $1 GROUP BY 1)`;
    if (groupBy === 'total') {
      return `WITH ${runs}, ${nodes}
        SELECT ''::text AS key, ${RUN_FIGURES} FROM r LEFT JOIN n ON n.execution_id = r.execution_id`;
    }
    const key = groupBy === 'workflow' ? 'r.workflow_id' : `to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    return `WITH ${runs}, ${nodes}
      SELECT ${key} AS key, ${RUN_FIGURES} FROM r LEFT JOIN n ON n.execution_id = r.execution_id
      GROUP BY ${key} ORDER BY ${key} COLLATE "C"`;
  }
}

const EMPTY: CountsRow = {
  key: '',
  runs: '0',
  succeeded: '0',
  failed: '0',
  cancelled: '0',
  duration_sum: '0',
  calls: '0',
  input_tokens: '0',
  output_tokens: '0',
  cost: '0',
};
