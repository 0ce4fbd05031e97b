import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client';
import { navigate } from '../app/router';
import { useWorkspace } from '../auth/workspace';

interface Row {
  id: string;
  name: string;
  version: number;
  updatedAt?: string;
}

export function WorkflowList() {
  const { t } = useTranslation();
  const { can } = useWorkspace();
  const [rows, setRows] = useState<Row[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    api
      .GET('/api/v1/workflows', { params: { query: { limit: 100 } } })
      .then((r) => setRows(unwrap(r).items as Row[]))
      .catch((e: unknown) => setError(e instanceof ApiError ? e.problem.detail : String(e)));
  }, []);

  return (
    <section className="page" aria-labelledby="wf-title">
      <div className="page-head">
        <h1 id="wf-title">{t('workflows.title')}</h1>
        {can('editor') && (
          <button type="button" className="primary" onClick={() => navigate('/workflows/new')}>
            {t('workflows.new')}
          </button>
        )}
      </div>
      {error && <p role="alert">{error}</p>}
      {rows === undefined ? (
        <p>{t('common.loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('workflows.empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('workflows.name')}</th>
              <th scope="col">{t('workflows.version')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr key={w.id}>
                <td>
                  <a
                    href={`/workflows/${w.id}`}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(`/workflows/${w.id}`);
                    }}
                  >
                    {w.name}
                  </a>
                </td>
                <td>{w.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
