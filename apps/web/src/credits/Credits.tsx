import { Suspense, lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { AppLink, DataTable, Page, when } from '../common/DataTable';
import { useLoad } from '../common/use-load';

// The chart library loads with this section only, never in the app's initial bundle.
const UsageChart = lazy(() => import('./UsageChart').then((m) => ({ default: m.UsageChart })));

/** The workspace's credit balance (posted, held, available), its usage report and its ledger, newest first. */
export function Credits() {
  const { t } = useTranslation();
  const balance = useLoad(async () => unwrap(await api.GET('/api/v1/credits/balance')), []);
  const entries = useLoad(
    async () => unwrap(await api.GET('/api/v1/credits/transactions', { params: { query: { limit: 100 } } })).items,
    [],
  );
  return (
    <Page id="credits" title={t('credits.title')}>
      {balance.error && (
        <p role="alert" className="error">
          {balance.error}
        </p>
      )}
      {balance.data && (
        <dl className="balance" data-testid="credit-balance">
          <div>
            <dt>{t('credits.available')}</dt>
            <dd data-testid="credits-available">{balance.data.available}</dd>
          </div>
          <div>
            <dt>{t('credits.held')}</dt>
            <dd>{balance.data.held}</dd>
          </div>
          <div>
            <dt>{t('credits.posted')}</dt>
            <dd>{balance.data.posted}</dd>
          </div>
        </dl>
      )}
      <Suspense fallback={<p>{t('common.loading')}</p>}>
        <UsageChart />
      </Suspense>
      <h2>{t('credits.transactions')}</h2>
      <DataTable
        testId="credit-transactions"
        rows={entries.data}
        error={entries.error}
        empty={t('credits.empty')}
        rowKey={(e) => String(e.position)}
        columns={[
          { header: 'credits.at', cell: (e) => when(e.at) },
          { header: 'credits.type', cell: (e) => e.type },
          { header: 'credits.amount', cell: (e) => e.amount },
          {
            header: 'credits.execution',
            cell: (e) =>
              e.executionId ? (
                <AppLink to={`/executions/${e.executionId}`}>
                  {e.executionId.slice(0, 8)}
                  {e.nodeId ? ` / ${e.nodeId}` : ''}
                </AppLink>
              ) : (
                (e.reason ?? '')
              ),
          },
        ]}
      />
    </Page>
  );
}
