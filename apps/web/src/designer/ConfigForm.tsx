import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeKind } from './node-kinds';

interface Props {
  nodeId: string;
  kind: NodeKind;
  label: string | undefined;
  config: Record<string, unknown> | undefined;
  onChange: (patch: { label?: string; config?: Record<string, unknown> }) => void;
}

// The form library and the schemas load with the first node opened, not with the app.
const NodeConfigForm = lazy(() => import('./NodeConfigForm').then((m) => ({ default: m.NodeConfigForm })));

/** The inspector of one node: its label, and its config form generated from its type's JSON Schema. */
export function ConfigForm({ nodeId, kind, label, config, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <form className="config-form" onSubmit={(e) => e.preventDefault()} aria-label={t('designer.configOf', { id: nodeId })}>
      <label>
        {t('designer.label')}
        <input type="text" value={label ?? ''} onChange={(e) => onChange({ label: e.target.value || undefined })} />
      </label>
      <Suspense fallback={<p>{t('common.loading')}</p>}>
        <NodeConfigForm nodeId={nodeId} kind={kind} config={config} onChange={(next) => onChange({ config: next })} />
      </Suspense>
    </form>
  );
}
