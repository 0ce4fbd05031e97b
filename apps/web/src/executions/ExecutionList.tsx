import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { AppLink, DataTable, Page, when } from '../common/DataTable';
import { useLoad } from '../common/use-load';

const STATUSES = ['pending', 'running', 'awaiting_approval', 'completed', 'failed', 'cancelled'] as const;

/** The execution history (`GET /executions`), filtered by workflow and status, newest first. */
export function ExecutionList({ workflowId: fixedWorkflow }: { workflowId?: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [workflowId, setWorkflowId] = useState(fixedWorkflow ?? '');
  const workflows = useLoad(
    async () => unwrap(await api.GET('/api/v1/workflows', { params: { query: { limit: 100 } } })).items,
    [],
  );
  const runs = useLoad(
    async () =>
      unwrap(
        await api.GET('/api/v1/executions', {
          params: { query: { limit: 100, ...(status ? { status } : {}), ...(workflowId ? { workflowId } : {}) } },
        }),
      ).items,
    [status, workflowId],
  );
  const names = new Map((workflows.data ?? []).map((w) => [w.id, w.name]));
  return (
    <Page id="executions" title={t('executions.title')}>
      <div className="filters">
        <label>
          {t('executions.workflow')}
          <select value={workflowId} onChange={(e) => setWorkflowId(e.target.value)} data-testid="filter-workflow">
            <option value="">{t('executions.all')}</option>
            {(workflows.data ?? []).map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('executions.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)} data-testid="filter-status">
            <option value="">{t('executions.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={runs.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <DataTable
        testId="executions-table"
        rows={runs.data}
        error={runs.error}
        empty={t('executions.empty')}
        rowKey={(r) => r.id}
        columns={[
          {
            header: 'executions.run',
            cell: (r) => (
              <AppLink to={`/executions/${r.id}`} testId={`execution-${r.id}`}>
                {r.id.slice(0, 8)}
              </AppLink>
            ),
          },
          { header: 'executions.workflow', cell: (r) => `${names.get(r.workflowId) ?? r.workflowId} v${r.workflowVersion}` },
          {
            header: 'executions.status',
            cell: (r) => (
              <span className={`badge status-${r.status}`} data-status={r.status}>
                {t(`status.${r.status}`)}
              </span>
            ),
          },
          { header: 'executions.trigger', cell: (r) => t(`trigger.${r.trigger.type}`) },
          { header: 'executions.started', cell: (r) => when(r.startedAt) },
          { header: 'executions.duration', cell: (r) => (r.durationMs === null ? '' : t('monitor.ms', { ms: r.durationMs })) },
          { header: 'executions.cost', cell: (r) => r.totalCost },
          { header: 'executions.error', cell: (r) => r.errorCode ?? '' },
        ]}
      />
    </Page>
  );
}
