import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace } from '../auth/workspace';
import { DataTable, Page, when } from '../common/DataTable';
import { messageOf, useLoad } from '../common/use-load';

const KINDS = ['api_key', 'bearer_token'] as const;

/**
 * The vault's credentials: names and metadata only. A value is write-only: typed here once, sent to
 * the server that seals it, and never shown again (the list has no value to show).
 */
export function CredentialList() {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  const list = useLoad(async () => unwrap(await api.GET('/api/v1/credentials', { params: { query: { limit: 100 } } })).items, []);
  return (
    <Page id="credentials" title={t('credentials.title')}>
      <p className="hint">{t('credentials.writeOnly')}</p>
      {can('admin') && <CreateCredential onCreated={list.reload} />}
      <DataTable
        testId="credentials-table"
        rows={list.data}
        error={list.error}
        empty={t('credentials.empty')}
        rowKey={(c) => c.id}
        columns={[
          { header: 'credentials.name', cell: (c) => c.name },
          { header: 'credentials.keyVersion', cell: (c) => c.keyVersion },
          { header: 'credentials.valueUpdatedAt', cell: (c) => when(c.valueUpdatedAt) },
        ]}
      />
    </Page>
  );
}

function CreateCredential({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<(typeof KINDS)[number]>('api_key');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    try {
      unwrap(await api.POST('/api/v1/credentials', { body: { name, kind, value } }));
      setName('');
      setValue('');
      onCreated();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)} aria-label={t('credentials.create')}>
      <label>
        {t('credentials.name')}
        <input required value={name} onChange={(e) => setName(e.target.value)} data-testid="credential-name" />
      </label>
      <label>
        {t('credentials.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`credentialKind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('credentials.value')}
        <input
          required
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          data-testid="credential-value"
        />
      </label>
      <button type="submit" className="primary">
        {t('credentials.create')}
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
