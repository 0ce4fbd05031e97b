import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap, type Session } from '../api/client';
import { ssoEnabled } from './sso';

/** Register or log in; both answer a token and the user's workspace(s). */
export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [sso, setSso] = useState(false);
  useEffect(() => {
    void ssoEnabled().then(setSso);
  }, []);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { email, password };
      const res =
        mode === 'register'
          ? unwrap(await api.POST('/api/v1/auth/register', { body: { ...body, ...(name ? { name } : {}) } }))
          : unwrap(await api.POST('/api/v1/auth/login', { body }));
      const workspaceId = res.workspace?.id ?? res.workspaces?.[0]?.id;
      if (!workspaceId) throw new Error(t('auth.noWorkspace'));
      onSignedIn({ token: res.token, workspaceId, email: res.user.email });
    } catch (err) {
      setError(err instanceof ApiError ? err.problem.detail : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{mode === 'login' ? t('auth.loginTitle') : t('auth.registerTitle')}</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          {t('auth.email')}
          <input type="email" required autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t('auth.password')}
          <input
            type="password"
            required
            autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {mode === 'register' && (
          <label>
            {t('auth.name')}
            <input type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'login' ? t('auth.login') : t('auth.register')}
        </button>
      </form>
      {sso && (
        // A full page load: the gateway answers with a redirect to the identity provider.
        <a className="button sso" href="/api/v1/auth/oidc/login" data-testid="sso-login">
          {t('auth.sso')}
        </a>
      )}
      <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
        {mode === 'login' ? t('auth.toRegister') : t('auth.toLogin')}
      </button>
    </section>
  );
}
