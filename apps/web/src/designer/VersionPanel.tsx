import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { messageOf, useLoad } from '../common/use-load';

interface VersionRow {
  version: number;
  name: string;
  createdAt: string;
  createdBy: string;
}

/**
 * The workflow's saved versions, newest first: tick two to compare them on the canvas; an editor
 * can restore an older one (saved again as the newest version).
 */
export function VersionPanel(props: {
  workflowId: string;
  current?: number;
  editable: boolean;
  /** Changes when the list must be loaded again (after a save or a restore). */
  refresh: unknown;
  onCompare: (from: number, to: number) => void;
  onRestore: (version: number) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const list = useLoad(async () => {
    const rows: VersionRow[] = [];
    let cursor: string | undefined;
    // A few pages at most: the panel is for recent history.
    for (let page = 0; page < 5; page++) {
      const res = unwrap(
        await api.GET('/api/v1/workflows/{id}/versions', {
          params: { path: { id: props.workflowId }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        }),
      );
      rows.push(...res.items);
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    return rows;
  }, [props.workflowId, props.refresh]);

  const toggle = (v: number): void => setPicked((p) => (p.includes(v) ? p.filter((x) => x !== v) : [...p, v].slice(-2)));
  const compare = (): void => {
    const [a, b] = [...picked].sort((x, y) => x - y);
    if (a !== undefined && b !== undefined) props.onCompare(a, b);
  };

  return (
    <section className="versions-panel" aria-labelledby="versions-title" data-testid="versions-panel">
      <h3 id="versions-title">{t('versions.title')}</h3>
      {list.loading && !list.data && <p>{t('common.loading')}</p>}
      {(list.error || error) && <p role="alert">{list.error ?? error}</p>}
      {list.data && (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('versions.compare')}</th>
              <th scope="col">{t('versions.version')}</th>
              <th scope="col">{t('versions.saved')}</th>
              <th scope="col">
                <span className="sr-only">{t('versions.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((v) => (
              <tr key={v.version} data-testid={`version-${v.version}`}>
                <td>
                  <input
                    type="checkbox"
                    checked={picked.includes(v.version)}
                    onChange={() => toggle(v.version)}
                    aria-label={t('versions.pick', { version: v.version })}
                  />
                </td>
                <td>
                  {t('designer.version', { version: v.version })}
                  {v.version === props.current && ` (${t('versions.current')})`}
                </td>
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>
                  {props.editable && v.version !== props.current && (
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => {
                        setBusy(true);
                        setError(undefined);
                        props
                          .onRestore(v.version)
                          .catch((e: unknown) => setError(messageOf(e)))
                          .finally(() => setBusy(false));
                      }}
                    >
                      {t('versions.restore', { version: v.version })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="primary" disabled={picked.length !== 2} onClick={compare}>
        {t('versions.compareButton')}
      </button>
    </section>
  );
}
