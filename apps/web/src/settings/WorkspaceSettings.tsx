import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useWorkspace } from '../auth/workspace';
import { messageOf, useLoad } from '../common/use-load';

type Switch = 'python' | 'shell' | 'network';
const SWITCHES: Switch[] = ['python', 'shell', 'network'];

/**
 * The workspace's switches for sandboxed tools (python and shell tools, and their network), off
 * until an admin turns them on; everyone else sees them read-only. Each change is one PUT.
 */
export function WorkspaceSettings({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const admin = useWorkspace().can('admin');
  const path = { params: { path: { id: workspaceId } } };
  const settings = useLoad(async () => unwrap(await api.GET('/api/v1/workspaces/{id}/settings', path)), [workspaceId]);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);

  const flip = async (name: Switch, on: boolean): Promise<void> => {
    setSaving(true);
    setError(undefined);
    setSaved(false);
    try {
      unwrap(await api.PUT('/api/v1/workspaces/{id}/settings', { ...path, body: { sandboxedTools: { [name]: on } } }));
      setSaved(true);
      settings.reload();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="settings" aria-labelledby="settings-title" data-testid="workspace-settings">
      <h2 id="settings-title">{t('settings.title')}</h2>
      <p className="hint">{t('settings.hint')}</p>
      {settings.error && (
        <p role="alert" className="error">
          {settings.error}
        </p>
      )}
      {settings.data && (
        <fieldset disabled={!admin || saving}>
          <legend>{t('settings.sandboxedTools')}</legend>
          {SWITCHES.map((name) => (
            <label key={name} className="switch">
              <input
                type="checkbox"
                checked={settings.data!.sandboxedTools[name]}
                onChange={(e) => void flip(name, e.target.checked)}
                data-testid={`setting-${name}`}
              />
              {t(`settings.${name}`)}
            </label>
          ))}
        </fieldset>
      )}
      {!admin && <p className="hint">{t('settings.adminsOnly')}</p>}
      {saved && <p role="status">{t('settings.saved')}</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
