import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useLoad } from '../common/use-load';
import { checkField } from './expression-check';
import { CONFIG_FIELDS, GATE_DECISIONS, getPath, HTTP_METHODS, setPath, type ConfigField, type NodeKind } from './node-kinds';

interface Props {
  nodeId: string;
  kind: NodeKind;
  label: string | undefined;
  config: Record<string, unknown> | undefined;
  onChange: (patch: { label?: string; config?: Record<string, unknown> }) => void;
}

/** The config form of one node type: one field per entry of CONFIG_FIELDS. */
export function ConfigForm({ nodeId, kind, label, config, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <form className="config-form" onSubmit={(e) => e.preventDefault()} aria-label={t('designer.configOf', { id: nodeId })}>
      <label>
        {t('designer.label')}
        <input type="text" value={label ?? ''} onChange={(e) => onChange({ label: e.target.value || undefined })} />
      </label>
      {CONFIG_FIELDS[kind].map((f) => (
        <Field
          key={`${nodeId}:${f.path}`}
          field={f}
          value={getPath(config, f.path)}
          onChange={(v) => onChange({ config: setPath(config, f.path, v) })}
        />
      ))}
    </form>
  );
}

function Field({ field, value, onChange }: { field: ConfigField; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useTranslation();
  const label = t(`field.${field.path}`);
  // Hints show `{{ }}` literally: no interpolation in them.
  const hint = t(`fieldHint.${field.kind}`, { interpolation: { prefix: '\u0000', suffix: '\u0000' } });
  switch (field.kind) {
    case 'method':
      return (
        <label>
          {label}
          <select value={typeof value === 'string' ? value : 'GET'} onChange={(e) => onChange(e.target.value)}>
            {HTTP_METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      );
    case 'number':
      return (
        <label>
          {label}
          <input
            type="number"
            min={1}
            value={typeof value === 'number' ? value : ''}
            onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          />
        </label>
      );
    case 'json':
      return <JsonField label={label} hint={hint} value={value} onChange={onChange} />;
    case 'agent':
    case 'registeredTool':
    case 'workflow':
      return <ResourcePicker kind={field.kind} label={label} value={value} onChange={onChange} />;
    case 'role':
    case 'decision': {
      const choices = field.kind === 'role' ? ['viewer', 'editor', 'admin'] : GATE_DECISIONS;
      return (
        <label>
          {label}
          <select value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value || undefined)}>
            <option value="">{t('field.default')}</option>
            {choices.map((c) => (
              <option key={c} value={c}>
                {field.kind === 'role' ? t(`role.${c}`) : t(`gate.${c}`)}
              </option>
            ))}
          </select>
        </label>
      );
    }
    default:
      return <TextField kind={field.kind} label={label} hint={hint} value={value} onChange={onChange} />;
  }
}

/** A text field; expression and template fields are compiled as you type (the server's JSONata). */
function TextField(props: { kind: string; label: string; hint: string; value: unknown; onChange: (v: unknown) => void }) {
  const { t } = useTranslation();
  const text = typeof props.value === 'string' ? props.value : '';
  const [problem, setProblem] = useState<string>();
  const checked = props.kind === 'expression' || props.kind === 'template' ? props.kind : undefined;
  useEffect(() => {
    if (!checked) return;
    let current = true;
    void checkField(checked, text).then((p) => current && setProblem(p));
    return () => {
      current = false;
    };
  }, [checked, text]);
  return (
    <label>
      {props.label}
      <input
        type="text"
        className="mono"
        value={text}
        aria-invalid={problem ? true : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <small>{props.hint}</small>
      {problem && (
        <small className="error" role="alert" data-testid="expression-problem">
          {t('designer.expressionProblem', { problem })}
        </small>
      )}
    </label>
  );
}

/** JSON edited as text; applied when it parses, a plain string is a template. */
export function JsonField({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint?: string;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    setText(value === undefined ? '' : JSON.stringify(value, null, 2));
  }, [value]);
  return (
    <label>
      {label}
      <textarea
        className="mono"
        rows={4}
        value={text}
        aria-invalid={bad}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') {
            setBad(false);
            return;
          }
          try {
            JSON.parse(e.target.value);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
        onBlur={() => {
          if (text.trim() === '') return onChange(undefined);
          try {
            onChange(JSON.parse(text));
          } catch {
            setBad(true);
          }
        }}
      />
      {bad ? <small className="error">{t('designer.badJson')}</small> : hint && <small>{hint}</small>}
    </label>
  );
}

/** Picks one of the workspace's agents, tools or workflows by name; the config keeps its id. */
function ResourcePicker({
  kind,
  label,
  value,
  onChange,
}: {
  kind: 'agent' | 'registeredTool' | 'workflow';
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const { t } = useTranslation();
  const options = useLoad(async (): Promise<Array<{ id: string; name: string }>> => {
    const query = { params: { query: { limit: 100 } } };
    if (kind === 'agent') return unwrap(await api.GET('/api/v1/agents', query)).items;
    if (kind === 'registeredTool') return unwrap(await api.GET('/api/v1/tools', query)).items;
    return unwrap(await api.GET('/api/v1/workflows', query)).items;
  }, [kind]);
  const current = typeof value === 'string' ? value : '';
  const known = (options.data ?? []).some((o) => o.id === current);
  return (
    <label>
      {label}
      <select value={current} onChange={(e) => onChange(e.target.value)} data-testid={`pick-${kind}`}>
        <option value="">{t('field.choose')}</option>
        {current && !known && <option value={current}>{current}</option>}
        {(options.data ?? []).map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {options.error && <small className="error">{options.error}</small>}
    </label>
  );
}
