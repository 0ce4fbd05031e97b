import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace, type Role } from '../auth/workspace';
import { DataTable, Page, when } from '../common/DataTable';
import { messageOf, useLoad } from '../common/use-load';

const ROLES: Role[] = ['viewer', 'editor', 'admin'];

/** The workspace's API keys: create (the secret shown once, here), list by prefix, revoke. */
export function ApiKeyList({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  const path = { params: { path: { id: workspaceId } } };
  const keys = useLoad(async () => unwrap(await api.GET('/api/v1/workspaces/{id}/api-keys', path)).items, [workspaceId]);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [created, setCreated] = useState<string>();
  const [error, setError] = useState<string>();

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      const key = unwrap(await api.POST('/api/v1/workspaces/{id}/api-keys', { ...path, body: { name, role } }));
      setCreated(key.key);
      setName('');
      keys.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  const revoke = async (keyId: string): Promise<void> => {
    try {
      unwrap(await api.DELETE('/api/v1/workspaces/{id}/api-keys/{keyId}', { params: { path: { id: workspaceId, keyId } } }));
      keys.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <Page id="api-keys" title={t('apiKeys.title')}>
      {can('admin') && (
        <form className="inline-form" onSubmit={(e) => void create(e)} aria-label={t('apiKeys.create')}>
          <label>
            {t('apiKeys.name')}
            <input required value={name} onChange={(e) => setName(e.target.value)} data-testid="api-key-name" />
          </label>
          <label>
            {t('apiKeys.role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary">
            {t('apiKeys.create')}
          </button>
        </form>
      )}
      {created && (
        <div className="secret-once" role="status">
          <p>{t('apiKeys.shownOnce')}</p>
          <code data-testid="api-key-secret">{created}</code>
          <button type="button" onClick={() => setCreated(undefined)}>
            {t('apiKeys.dismiss')}
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <DataTable
        testId="api-keys-table"
        rows={keys.data}
        error={keys.error}
        empty={t('apiKeys.empty')}
        rowKey={(k) => k.id}
        columns={[
          { header: 'apiKeys.name', cell: (k) => k.name },
          { header: 'apiKeys.prefix', cell: (k) => <code>{k.prefix}</code> },
          { header: 'apiKeys.role', cell: (k) => t(`role.${k.role}`) },
          { header: 'apiKeys.lastUsed', cell: (k) => when(k.lastUsedAt) },
          {
            header: 'apiKeys.state',
            cell: (k) =>
              k.revokedAt ? (
                t('apiKeys.revoked')
              ) : can('admin') ? (
                <button type="button" onClick={() => void revoke(k.id)}>
                  {t('apiKeys.revoke')}
                </button>
              ) : (
                t('apiKeys.active')
              ),
          },
        ]}
      />
    </Page>
  );
}
