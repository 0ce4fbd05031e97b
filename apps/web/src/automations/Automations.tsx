import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace } from '../auth/workspace';
import { DataTable, Page, when } from '../common/DataTable';
import { messageOf, useLoad } from '../common/use-load';

type Outcome = 'completed' | 'failed';
const OUTCOMES: Outcome[] = ['completed', 'failed'];
const CHANNELS = ['slack', 'discord', 'generic'] as const;

/**
 * Event triggers (start a workflow when a run of another completes or fails) and notifications
 * (a Slack, Discord or generic webhook URL told when runs of a workflow end): list, create, delete.
 */
export function Automations() {
  const { t } = useTranslation();
  const editor = useWorkspace().can('editor');
  const workflows = useLoad(
    async () => unwrap(await api.GET('/api/v1/workflows', { params: { query: { limit: 100 } } })).items,
    [],
  );
  const triggers = useLoad(
    async () => unwrap(await api.GET('/api/v1/triggers', { params: { query: { limit: 100 } } })).items,
    [],
  );
  const notifications = useLoad(
    async () => unwrap(await api.GET('/api/v1/notifications', { params: { query: { limit: 100 } } })).items,
    [],
  );
  const [error, setError] = useState<string>();
  const [source, setSource] = useState('');
  const [target, setTarget] = useState('');
  const [on, setOn] = useState<Outcome>('completed');
  const [nWorkflow, setNWorkflow] = useState('');
  const [channel, setChannel] = useState<(typeof CHANNELS)[number]>('generic');
  const [url, setUrl] = useState('');
  const nameOf = (id: string): string => workflows.data?.find((w) => w.id === id)?.name ?? id;

  const act = async (fn: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const createTrigger = (e: FormEvent): void => {
    e.preventDefault();
    void act(async () => {
      unwrap(await api.POST('/api/v1/triggers', { body: { sourceWorkflowId: source, targetWorkflowId: target, on: [on] } }));
      triggers.reload();
    });
  };
  const createNotification = (e: FormEvent): void => {
    e.preventDefault();
    void act(async () => {
      unwrap(await api.POST('/api/v1/notifications', { body: { workflowId: nWorkflow, channel, url, on: [...OUTCOMES] } }));
      setUrl('');
      notifications.reload();
    });
  };
  const workflowSelect = (value: string, set: (v: string) => void, label: string, testId: string) => (
    <label>
      {label}
      <select required value={value} onChange={(e) => set(e.target.value)} data-testid={testId}>
        <option value="">{t('automations.pick')}</option>
        {workflows.data?.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <Page id="automations" title={t('automations.title')}>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <h2>{t('automations.triggers')}</h2>
      {editor && (
        <form className="inline-form" onSubmit={createTrigger} aria-label={t('automations.createTrigger')}>
          {workflowSelect(source, setSource, t('automations.source'), 'trigger-source')}
          <label>
            {t('automations.on')}
            <select value={on} onChange={(e) => setOn(e.target.value as Outcome)}>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {t(`status.${o}`)}
                </option>
              ))}
            </select>
          </label>
          {workflowSelect(target, setTarget, t('automations.target'), 'trigger-target')}
          <button type="submit" className="primary">
            {t('automations.createTrigger')}
          </button>
        </form>
      )}
      <DataTable
        testId="triggers-table"
        rows={triggers.data}
        error={triggers.error}
        empty={t('automations.noTriggers')}
        rowKey={(x) => x.id}
        columns={[
          { header: 'automations.source', cell: (x) => nameOf(x.sourceWorkflowId) },
          { header: 'automations.on', cell: (x) => x.on.map((o) => t(`status.${o}`)).join(', ') },
          { header: 'automations.target', cell: (x) => nameOf(x.targetWorkflowId) },
          { header: 'automations.created', cell: (x) => when(x.createdAt) },
          ...(editor
            ? [
                {
                  header: 'automations.actions',
                  cell: (x: { id: string }) => (
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          unwrap(await api.DELETE('/api/v1/triggers/{id}', { params: { path: { id: x.id } } }));
                          triggers.reload();
                        })
                      }
                    >
                      {t('automations.delete')}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <h2>{t('automations.notifications')}</h2>
      {editor && (
        <form className="inline-form" onSubmit={createNotification} aria-label={t('automations.createNotification')}>
          {workflowSelect(nWorkflow, setNWorkflow, t('automations.workflow'), 'notification-workflow')}
          <label>
            {t('automations.channel')}
            <select value={channel} onChange={(e) => setChannel(e.target.value as (typeof CHANNELS)[number])}>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('automations.url')}
            <input required type="url" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="notification-url" />
          </label>
          <button type="submit" className="primary">
            {t('automations.createNotification')}
          </button>
        </form>
      )}
      <DataTable
        testId="notifications-table"
        rows={notifications.data}
        error={notifications.error}
        empty={t('automations.noNotifications')}
        rowKey={(x) => x.id}
        columns={[
          { header: 'automations.workflow', cell: (x) => nameOf(x.workflowId) },
          { header: 'automations.channel', cell: (x) => x.channel },
          { header: 'automations.host', cell: (x) => x.host },
          { header: 'automations.on', cell: (x) => x.on.map((o) => t(`status.${o}`)).join(', ') },
          ...(editor
            ? [
                {
                  header: 'automations.actions',
                  cell: (x: { id: string }) => (
                    <button
                      type="button"
                      onClick={() =>
                        void act(async () => {
                          unwrap(await api.DELETE('/api/v1/notifications/{id}', { params: { path: { id: x.id } } }));
                          notifications.reload();
                        })
                      }
                    >
                      {t('automations.delete')}
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Page>
  );
}
