import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace } from '../auth/workspace';
import { DataTable, Page, when } from '../common/DataTable';
import { messageOf, useLoad } from '../common/use-load';
import { useState } from 'react';

/** The workspace's schedules with their next fire time; editors pause and resume them. */
export function ScheduleList() {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  const [error, setError] = useState<string>();
  const list = useLoad(async () => unwrap(await api.GET('/api/v1/schedules', { params: { query: { limit: 100 } } })).items, []);
  const toggle = async (id: string, enabled: boolean): Promise<void> => {
    setError(undefined);
    try {
      const params = { params: { path: { id } } };
      unwrap(
        enabled
          ? await api.POST('/api/v1/schedules/{id}/pause', params)
          : await api.POST('/api/v1/schedules/{id}/resume', params),
      );
      list.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <Page id="schedules" title={t('schedules.title')}>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <DataTable
        testId="schedules-table"
        rows={list.data}
        error={list.error}
        empty={t('schedules.empty')}
        rowKey={(s) => s.id}
        columns={[
          {
            header: 'schedules.when',
            cell: (s) =>
              s.kind === 'cron'
                ? `${s.cron ?? ''} (${s.timezone ?? 'UTC'})`
                : s.kind === 'interval'
                  ? t('schedules.every', { seconds: s.everySeconds })
                  : when(s.at),
          },
          {
            header: 'schedules.workflow',
            cell: (s) => `${s.workflowId.slice(0, 8)} ${s.version === 'latest' ? '' : `v${s.version}`}`,
          },
          { header: 'schedules.next', cell: (s) => (s.enabled ? when(s.nextFireAt) : t('schedules.paused')) },
          {
            header: 'schedules.actions',
            cell: (s) =>
              can('editor') ? (
                <button type="button" onClick={() => void toggle(s.id, s.enabled)}>
                  {s.enabled ? t('schedules.pause') : t('schedules.resume')}
                </button>
              ) : (
                ''
              ),
          },
        ]}
      />
    </Page>
  );
}
