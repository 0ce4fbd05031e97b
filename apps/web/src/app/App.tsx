import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../api/client';
import { api } from '../api/client';
import { AgentList } from '../agents/AgentList';
import { ApiKeyList } from '../api-keys/ApiKeyList';
import { AuditLog } from '../audit/AuditLog';
import { loadSession, saveSession } from '../auth/session';
import { SignIn } from '../auth/SignIn';
import { sessionForToken, takeTokenFromFragment } from '../auth/sso';
import { useWorkspace, WorkspaceProvider, type Role } from '../auth/workspace';
import { CredentialList } from '../credentials/CredentialList';
import { Credits } from '../credits/Credits';
import { Designer } from '../designer/Designer';
import { ExecutionList } from '../executions/ExecutionList';
import { LANGUAGES, setLanguage, type Language } from '../i18n/i18n';
import { MemberList } from '../members/MemberList';
import { Monitor } from '../monitor/Monitor';
import { ScheduleList } from '../schedules/ScheduleList';
import { Automations } from '../automations/Automations';
import { ToolList } from '../tools/ToolList';
import { WebhookList } from '../webhooks/WebhookList';
import { WorkflowList } from '../workflows/WorkflowList';
import { LIST_PAGES, navigate, useRoute, type ListPage, type Route } from './router';

/** The least role a list page is for (the server's access policy; viewers simply see no edit buttons). */
const PAGE_ROLE: Partial<Record<ListPage, Role>> = { audit: 'admin' };

export function App() {
  const { t, i18n } = useTranslation();
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const route = useRoute();

  const signIn = (s: Session): void => {
    saveSession(s);
    setSession(s);
    if (route.page === 'signin') navigate('/workflows');
  };
  const signOut = async (): Promise<void> => {
    await api.POST('/api/v1/auth/logout').catch(() => undefined);
    saveSession(undefined);
    setSession(undefined);
    navigate('/');
  };
  // Back from single sign-on with `#token=`: that token becomes the session.
  const [ssoError, setSsoError] = useState<string>();
  useEffect(() => {
    const token = takeTokenFromFragment();
    if (!token) return;
    sessionForToken(token)
      .then((s) => {
        saveSession(s);
        setSession(s);
      })
      .catch((e: unknown) => setSsoError(e instanceof Error ? e.message : String(e)));
  }, []);
  const switchWorkspace = (workspaceId: string): void => {
    if (!session) return;
    signIn({ ...session, workspaceId });
    navigate('/workflows');
  };

  const languagePicker = (
    <label>
      <span className="sr-only">{t('nav.language')}</span>
      <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)} aria-label={t('nav.language')}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );

  if (!session)
    return (
      <div className="app">
        <header className="topbar">
          <span className="brand">{t('app.name')}</span>
          <nav aria-label={t('nav.main')} />
          <div className="topbar-right">{languagePicker}</div>
        </header>
        <main className="content">
          {ssoError && (
            <p role="alert" className="error">
              {ssoError}
            </p>
          )}
          <SignIn onSignedIn={signIn} />
        </main>
      </div>
    );
  return (
    <WorkspaceProvider workspaceId={session.workspaceId}>
      <div className="app">
        <header className="topbar">
          <a
            className="brand"
            href="/workflows"
            onClick={(e) => {
              e.preventDefault();
              navigate('/workflows');
            }}
          >
            {t('app.name')}
          </a>
          <MainNav current={route.page} />
          <div className="topbar-right">
            <WorkspaceSwitcher current={session.workspaceId} onSwitch={switchWorkspace} />
            {languagePicker}
            <span className="who">{session.email}</span>
            <button type="button" onClick={() => void signOut()}>
              {t('auth.logout')}
            </button>
          </div>
        </header>
        <main className="content">
          <PageFor route={route} session={session} />
        </main>
      </div>
    </WorkspaceProvider>
  );
}

function MainNav({ current }: { current: Route['page'] }) {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  return (
    <nav aria-label={t('nav.main')}>
      {LIST_PAGES.filter((p) => can(PAGE_ROLE[p] ?? 'viewer')).map((p) => (
        <a
          key={p}
          href={`/${p}`}
          aria-current={current === p ? 'page' : undefined}
          data-testid={`nav-${p}`}
          onClick={(e) => {
            e.preventDefault();
            navigate(`/${p}`);
          }}
        >
          {t(`nav.${p}`)}
        </a>
      ))}
    </nav>
  );
}

/** The workspaces the user belongs to; choosing one makes it the `X-Workspace-Id` of every call. */
function WorkspaceSwitcher({ current, onSwitch }: { current: string; onSwitch: (id: string) => void }) {
  const { t } = useTranslation();
  const { workspaces } = useWorkspace();
  if (workspaces.length < 2) return null;
  return (
    <label>
      <span className="sr-only">{t('nav.workspace')}</span>
      <select
        value={current}
        onChange={(e) => onSwitch(e.target.value)}
        aria-label={t('nav.workspace')}
        data-testid="workspace-switcher"
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function PageFor({ route, session }: { route: Route; session: Session }) {
  switch (route.page) {
    case 'designer':
      return <Designer key={route.workflowId ?? 'new'} workflowId={route.workflowId} />;
    case 'monitor':
      return <Monitor key={route.executionId} executionId={route.executionId} session={session} />;
    case 'workflow-runs':
      return <ExecutionList key={route.workflowId} workflowId={route.workflowId} />;
    case 'executions':
      return <ExecutionList />;
    case 'agents':
      return <AgentList />;
    case 'tools':
      return <ToolList />;
    case 'credentials':
      return <CredentialList />;
    case 'schedules':
      return <ScheduleList />;
    case 'webhooks':
      return <WebhookList />;
    case 'automations':
      return <Automations />;
    case 'credits':
      return <Credits />;
    case 'members':
      return <MemberList workspaceId={session.workspaceId} />;
    case 'api-keys':
      return <ApiKeyList workspaceId={session.workspaceId} />;
    case 'audit':
      return <AuditLog />;
    case 'workflows':
    case 'signin':
      return <WorkflowList />;
  }
}
