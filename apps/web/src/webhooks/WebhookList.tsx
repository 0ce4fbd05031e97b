import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace } from '../auth/workspace';
import { CopyButton } from '../common/CopyButton';
import { DataTable, Page, when } from '../common/DataTable';
import { messageOf, useLoad } from '../common/use-load';
import { NewWebhookSecret, type CreatedHook } from './NewWebhookSecret';

const AUTH_MODES = ['hmac', 'token'] as const;
type AuthMode = (typeof AUTH_MODES)[number];

/** A hook's path as the API answers it (`/hooks/<id>`), made absolute on the app's origin (the gateway's). */
const fullUrl = (path: string): string => `${window.location.origin}${path}`;

/**
 * The workspace's webhooks: the workflow each starts, how callers authenticate, and the URL to
 * copy. Editors create one (the secret shown once, with a curl example), disable and enable it,
 * rotate its secret (the new one shown once the same way) and delete it; viewers only read.
 */
export function WebhookList() {
  const { t } = useTranslation();
  const editor = useWorkspace().can('editor');
  const workflows = useLoad(
    async () => unwrap(await api.GET('/api/v1/workflows', { params: { query: { limit: 100 } } })).items,
    [],
  );
  const hooks = useLoad(async () => unwrap(await api.GET('/api/v1/webhooks', { params: { query: { limit: 100 } } })).items, []);
  const [workflowId, setWorkflowId] = useState('');
  const [auth, setAuth] = useState<AuthMode>('hmac');
  const [created, setCreated] = useState<CreatedHook>();
  const [error, setError] = useState<string>();
  const nameOf = (id: string): string => workflows.data?.find((w) => w.id === id)?.name ?? id;

  const act = async (fn: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const create = (e: FormEvent): void => {
    e.preventDefault();
    setCreated(undefined);
    void act(async () => {
      const hook = unwrap(await api.POST('/api/v1/webhooks', { body: { workflowId, auth } }));
      setCreated({ id: hook.id, auth: hook.auth, secret: hook.secret, url: fullUrl(hook.url) });
      hooks.reload();
    });
  };
  const setEnabled = (id: string, enabled: boolean): void =>
    void act(async () => {
      unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body: { enabled } }));
      hooks.reload();
    });
  // The old secret stops working at once: callers must be given the new one, so ask first.
  const rotate = (id: string): void => {
    if (!window.confirm(t('webhooks.rotateConfirm'))) return;
    void act(async () => {
      const hook = unwrap(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body: { rotateSecret: true } }));
      if (hook.secret) setCreated({ id: hook.id, auth: hook.auth, secret: hook.secret, url: fullUrl(hook.url) });
      hooks.reload();
    });
  };
  const remove = (id: string): void =>
    void act(async () => {
      unwrap(await api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
      if (created?.id === id) setCreated(undefined);
      hooks.reload();
    });

  return (
    <Page id="webhooks" title={t('webhooks.title')}>
      {editor && (
        <form className="inline-form" onSubmit={create} aria-label={t('webhooks.create')}>
          <label>
            {t('webhooks.workflow')}
            <select required value={workflowId} onChange={(e) => setWorkflowId(e.target.value)} data-testid="webhook-workflow">
              <option value="">{t('webhooks.pick')}</option>
              {workflows.data?.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('webhooks.auth')}
            <select value={auth} onChange={(e) => setAuth(e.target.value as AuthMode)} data-testid="webhook-auth">
              {AUTH_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`webhooks.mode.${m}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary">
            {t('webhooks.create')}
          </button>
        </form>
      )}
      {created && <NewWebhookSecret hook={created} onDismiss={() => setCreated(undefined)} />}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <DataTable
        testId="webhooks-table"
        rows={hooks.data}
        error={hooks.error}
        empty={t('webhooks.empty')}
        rowKey={(h) => h.id}
        columns={[
          {
            header: 'webhooks.workflow',
            cell: (h) => `${nameOf(h.workflowId)}${h.version === 'latest' ? '' : ` v${h.version}`}`,
          },
          { header: 'webhooks.auth', cell: (h) => t(`webhooks.mode.${h.auth}`) },
          {
            header: 'webhooks.url',
            cell: (h) => (
              <span className="copyable" data-testid={`webhook-${h.id}`}>
                <code>{fullUrl(h.url)}</code> <CopyButton text={fullUrl(h.url)} label={t('webhooks.copyUrl')} />
              </span>
            ),
          },
          { header: 'webhooks.created', cell: (h) => when(h.createdAt) },
          {
            header: 'webhooks.state',
            cell: (h) => (
              <span data-testid={`webhook-state-${h.id}`}>{h.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}</span>
            ),
          },
          ...(editor
            ? [
                {
                  header: 'webhooks.actions',
                  cell: (h: { id: string; enabled: boolean }) => (
                    <span className="row-actions">
                      <button type="button" onClick={() => setEnabled(h.id, !h.enabled)} data-testid={`toggle-webhook-${h.id}`}>
                        {h.enabled ? t('webhooks.disable') : t('webhooks.enable')}
                      </button>
                      <button type="button" onClick={() => rotate(h.id)} data-testid={`rotate-webhook-${h.id}`}>
                        {t('webhooks.rotate')}
                      </button>
                      <button type="button" onClick={() => remove(h.id)} data-testid={`delete-webhook-${h.id}`}>
                        {t('webhooks.delete')}
                      </button>
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Page>
  );
}
