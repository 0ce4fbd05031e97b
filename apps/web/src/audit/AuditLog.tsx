import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { DataTable, Page, when } from '../common/DataTable';
import { useLoad } from '../common/use-load';

/** The workspace's audit log (admins): every identity, registry and billing change, filtered by type. */
export function AuditLog() {
  const { t } = useTranslation();
  const [type, setType] = useState('');
  const [applied, setApplied] = useState('');
  const entries = useLoad(
    async () =>
      unwrap(await api.GET('/api/v1/audit', { params: { query: { limit: 100, ...(applied ? { type: applied } : {}) } } })).items,
    [applied],
  );
  return (
    <Page id="audit" title={t('audit.title')}>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(type.trim());
        }}
      >
        <label>
          {t('audit.type')}
          <input value={type} onChange={(e) => setType(e.target.value)} placeholder="MemberInvited" />
        </label>
        <button type="submit">{t('audit.filter')}</button>
      </form>
      <DataTable
        testId="audit-table"
        rows={entries.data}
        error={entries.error}
        empty={t('audit.empty')}
        rowKey={(e) => e.id}
        columns={[
          { header: 'audit.at', cell: (e) => when(e.recordedAt) },
          { header: 'audit.type', cell: (e) => e.type },
          { header: 'audit.actor', cell: (e) => (e.actor ? `${e.actor.type}:${e.actor.id.slice(0, 8)}` : '') },
          { header: 'audit.stream', cell: (e) => e.stream },
        ]}
      />
    </Page>
  );
}
