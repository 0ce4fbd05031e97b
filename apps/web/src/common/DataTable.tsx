import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Column<T> {
  /** A catalogue key for the header. */
  header: string;
  cell: (row: T) => ReactNode;
}

/**
 * A list of rows as an accessible table, with the loading, empty and error states every page
 * shares. `testId` names the table for the browser tests.
 */
export function DataTable<T>(props: {
  rows?: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  empty: string;
  error?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  if (props.error)
    return (
      <p role="alert" className="error">
        {props.error}
      </p>
    );
  if (!props.rows) return <p>{t('common.loading')}</p>;
  if (props.rows.length === 0) return <p data-testid={`${props.testId}-empty`}>{props.empty}</p>;
  return (
    <table data-testid={props.testId}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th scope="col" key={c.header}>
              {t(c.header)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)}>
            {props.columns.map((c) => (
              <td key={c.header}>{c.cell(row)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A page's frame: its title (the landmark's name) and actions, then its content. */
export function Page(props: { id: string; title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby={`${props.id}-title`}>
      <div className="page-head">
        <h1 id={`${props.id}-title`}>{props.title}</h1>
        {props.actions}
      </div>
      {props.children}
    </section>
  );
}

/** An in-app link (no reload). */
export function AppLink({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  return (
    <a
      href={to}
      data-testid={testId}
      onClick={(e) => {
        e.preventDefault();
        window.history.pushState(null, '', to);
        window.dispatchEvent(new PopStateEvent('popstate'));
      }}
    >
      {children}
    </a>
  );
}

/** A timestamp in the reader's locale; empty for none. */
export const when = (iso?: string | null): string => (iso ? new Date(iso).toLocaleString() : '');
