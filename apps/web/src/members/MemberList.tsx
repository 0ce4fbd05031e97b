import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace, type Role } from '../auth/workspace';
import { DataTable, Page, when } from '../common/DataTable';
import { messageOf, useLoad } from '../common/use-load';
import { WorkspaceSettings } from '../settings/WorkspaceSettings';

const ROLES: Role[] = ['viewer', 'editor', 'admin'];

/** Members of the workspace with their roles, and (for admins) invitations by email. */
export function MemberList({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  const path = { params: { path: { id: workspaceId } } };
  const members = useLoad(async () => unwrap(await api.GET('/api/v1/workspaces/{id}/members', path)).items, [workspaceId]);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [notice, setNotice] = useState<{ ok: boolean; text: string }>();

  const invite = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    try {
      unwrap(await api.POST('/api/v1/workspaces/{id}/invitations', { ...path, body: { email, role } }));
      setNotice({ ok: true, text: t('members.invited', { email }) });
      setEmail('');
    } catch (err) {
      setNotice({ ok: false, text: messageOf(err) });
    }
  };
  return (
    <Page id="members" title={t('members.title')}>
      {can('admin') && (
        <form className="inline-form" onSubmit={(e) => void invite(e)} aria-label={t('members.invite')}>
          <label>
            {t('members.email')}
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            {t('members.role')}
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="primary">
            {t('members.invite')}
          </button>
        </form>
      )}
      {notice && (
        <p role={notice.ok ? 'status' : 'alert'} className={notice.ok ? 'ok' : 'error'}>
          {notice.text}
        </p>
      )}
      <DataTable
        testId="members-table"
        rows={members.data}
        error={members.error}
        empty={t('members.empty')}
        rowKey={(m) => m.userId}
        columns={[
          { header: 'members.email', cell: (m) => m.email },
          { header: 'members.name', cell: (m) => m.name ?? '' },
          { header: 'members.role', cell: (m) => t(`role.${m.role}`) },
          { header: 'members.joined', cell: (m) => when(m.joinedAt) },
        ]}
      />
      <WorkspaceSettings workspaceId={workspaceId} />
    </Page>
  );
}
