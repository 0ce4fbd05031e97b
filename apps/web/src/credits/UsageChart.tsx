import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import { DataTable } from '../common/DataTable';
import { useLoad } from '../common/use-load';

type GroupBy = 'day' | 'workflow' | 'agent' | 'model';
const GROUPINGS: GroupBy[] = ['day', 'workflow', 'agent', 'model'];

/**
 * The usage report (`GET /api/v1/usage`, the last 30 days): cost and runs per day, workflow,
 * agent or model as a bar chart (recharts, loaded with this page only), and the same figures as a
 * table for screen readers and exact numbers.
 */
export function UsageChart() {
  const { t } = useTranslation();
  const [groupBy, setGroupBy] = useState<GroupBy>('day');
  const usage = useLoad(async () => unwrap(await api.GET('/api/v1/usage', { params: { query: { groupBy } } })), [groupBy]);
  const items = usage.data?.items ?? [];
  return (
    <section aria-labelledby="usage-title" data-testid="usage-report">
      <h2 id="usage-title">{t('credits.usage.title')}</h2>
      <label>
        {t('credits.usage.groupBy')}{' '}
        <select
          value={groupBy}
          style={{ width: 'auto' }}
          onChange={(e) => setGroupBy(e.target.value as GroupBy)}
          data-testid="usage-group-by"
        >
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {t(`credits.usage.by.${g}`)}
            </option>
          ))}
        </select>
      </label>
      {usage.data && (
        <p data-testid="usage-totals">
          {t('credits.usage.totals', { runs: usage.data.totals.runs, cost: usage.data.totals.cost })}
        </p>
      )}
      {items.length > 0 && (
        <div className="usage-chart" data-testid="usage-chart" role="img" aria-label={t('credits.usage.chartLabel')}>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={items} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="key" tickFormatter={(k: string) => (groupBy === 'day' ? k.slice(5, 10) : k.slice(0, 12))} />
              <YAxis yAxisId="cost" />
              <YAxis yAxisId="runs" orientation="right" allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar yAxisId="cost" dataKey="cost" name={t('credits.usage.cost')} fill="#4f6bed" isAnimationActive={false} />
              <Bar yAxisId="runs" dataKey="runs" name={t('credits.usage.runs')} fill="#2f9e6f" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <DataTable
        testId="usage-table"
        rows={usage.data?.items}
        error={usage.error}
        empty={t('credits.usage.empty')}
        rowKey={(r) => r.key}
        columns={[
          { header: 'credits.usage.key', cell: (r) => r.key },
          { header: 'credits.usage.runs', cell: (r) => r.runs },
          {
            header: 'credits.usage.successRate',
            cell: (r) => (r.successRate === null ? '' : `${Math.round(r.successRate * 100)}%`),
          },
          { header: 'credits.usage.tokens', cell: (r) => r.inputTokens + r.outputTokens },
          { header: 'credits.usage.cost', cell: (r) => r.cost },
        ]}
      />
    </section>
  );
}
