import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../api/client';
import { api } from '../api/client';
import { loadSession, saveSession } from '../auth/session';
import { SignIn } from '../auth/SignIn';
import { Designer } from '../designer/Designer';
import { LANGUAGES, setLanguage, type Language } from '../i18n/i18n';
import { Monitor } from '../monitor/Monitor';
import { WorkflowList } from '../workflows/WorkflowList';
import { navigate, useRoute } from './router';

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

  return (
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
        <nav aria-label={t('nav.main')}>
          {session && (
            <a
              href="/workflows"
              onClick={(e) => {
                e.preventDefault();
                navigate('/workflows');
              }}
            >
              {t('nav.workflows')}
            </a>
          )}
        </nav>
        <div className="topbar-right">
          <label>
            <span className="sr-only">{t('nav.language')}</span>
            <select
              value={i18n.language}
              onChange={(e) => setLanguage(e.target.value as Language)}
              aria-label={t('nav.language')}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </label>
          {session && (
            <>
              <span className="who">{session.email}</span>
              <button type="button" onClick={() => void signOut()}>
                {t('auth.logout')}
              </button>
            </>
          )}
        </div>
      </header>
      <main className="content">
        {!session ? (
          <SignIn onSignedIn={signIn} />
        ) : route.page === 'designer' ? (
          <Designer key={route.workflowId ?? 'new'} workflowId={route.workflowId} />
        ) : route.page === 'monitor' ? (
          <Monitor key={route.executionId} executionId={route.executionId} session={session} />
        ) : (
          <WorkflowList />
        )}
      </main>
    </div>
  );
}
