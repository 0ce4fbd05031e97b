import type { FieldProps, ObjectFieldTemplateProps, RegistryFieldsType, RegistryWidgetsType, WidgetProps } from '@rjsf/utils';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useLoad } from '../common/use-load';
import { checkField } from './expression-check';
import { JsonField } from './JsonField';

/**
 * The config form's own widgets (see config-ui-schema.ts for which field gets which): the rest of
 * the form is @rjsf/core's plain HTML theme.
 */

/** The problem of an expression or template as you type (the JSONata compiler, loaded on first use). */
function useCompileProblem(kind: 'expression' | 'template', text: string): string | undefined {
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    let current = true;
    void checkField(kind, text).then((p) => current && setProblem(p));
    return () => {
      current = false;
    };
  }, [kind, text]);
  return problem;
}

function CheckedText(props: WidgetProps & { kind: 'expression' | 'template' }) {
  const { t } = useTranslation();
  const text = typeof props.value === 'string' ? props.value : '';
  const problem = useCompileProblem(props.kind, text);
  const options = props.options as { multiline?: boolean; secrets?: boolean };
  const common = {
    id: props.id,
    name: props.id,
    className: 'form-control mono',
    value: text,
    required: props.required,
    disabled: props.disabled || props.readonly,
    'aria-invalid': problem || props.rawErrors?.length ? true : undefined,
    onBlur: () => props.onBlur(props.id, text),
    onFocus: () => props.onFocus(props.id, text),
  };
  // An emptied field is absent from the config (rjsf's convention), so `required` reports it.
  const change = (value: string) => props.onChange(value === '' ? props.options.emptyValue : value);
  return (
    <>
      {options.multiline ? (
        <textarea {...common} rows={4} onChange={(e) => change(e.target.value)} />
      ) : (
        <input type="text" {...common} onChange={(e) => change(e.target.value)} />
      )}
      {options.secrets && <SecretPicker onPick={(name) => change(`${text}{{ secrets.${name} }}`)} />}
      {problem && (
        <small className="error" role="alert" data-testid="expression-problem">
          {t('designer.expressionProblem', { problem })}
        </small>
      )}
    </>
  );
}

/** Inserts `{{ secrets.<name> }}` for one of the workspace's credentials (their values never reach the browser). */
function SecretPicker({ onPick }: { onPick: (name: string) => void }) {
  const { t } = useTranslation();
  const credentials = useLoad(
    async () => unwrap(await api.GET('/api/v1/credentials', { params: { query: { limit: 100 } } })).items,
    [],
  );
  return (
    <select
      className="secret-picker"
      aria-label={t('nodeConfig.insertSecret')}
      data-testid="insert-secret"
      value=""
      onChange={(e) => e.target.value && onPick(e.target.value)}
    >
      <option value="">{t('nodeConfig.insertSecret')}</option>
      {(credentials.data ?? []).map((c) => (
        <option key={c.id} value={c.name}>
          {c.name}
        </option>
      ))}
    </select>
  );
}

type Resource = 'agent' | 'registeredTool' | 'workflow';

/** One of the workspace's agents, tools or workflows by name (the config keeps ids); `multiple` for a list of ids. */
function ResourceWidget(props: WidgetProps) {
  const { t } = useTranslation();
  const { resource, multiple } = props.options as { resource: Resource; multiple?: boolean };
  const options = useLoad(async (): Promise<Array<{ id: string; name: string }>> => {
    const query = { params: { query: { limit: 100 } } };
    if (resource === 'agent') return unwrap(await api.GET('/api/v1/agents', query)).items;
    if (resource === 'registeredTool') return unwrap(await api.GET('/api/v1/tools', query)).items;
    return unwrap(await api.GET('/api/v1/workflows', query)).items;
  }, [resource]);
  const list = options.data ?? [];
  const chosen: string[] = multiple
    ? Array.isArray(props.value)
      ? (props.value as string[])
      : []
    : typeof props.value === 'string' && props.value
      ? [props.value]
      : [];
  // Ids the list does not (or not yet) show stay choosable, so a form never drops them on its own.
  const unknown = chosen.filter((id) => !list.some((o) => o.id === id));
  return (
    <>
      <select
        id={props.id}
        className="form-control"
        multiple={multiple}
        required={props.required}
        disabled={props.disabled || props.readonly}
        aria-invalid={props.rawErrors?.length ? true : undefined}
        data-testid={`pick-${resource}`}
        value={multiple ? chosen : (chosen[0] ?? '')}
        onChange={(e) => {
          if (multiple) {
            const ids = [...e.target.selectedOptions].map((o) => o.value);
            props.onChange(ids.length ? ids : undefined);
          } else props.onChange(e.target.value || undefined);
        }}
      >
        {!multiple && <option value="">{t('field.choose')}</option>}
        {unknown.map((id) => (
          <option key={id} value={id}>
            {id}
          </option>
        ))}
        {list.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {options.error && <small className="error">{options.error}</small>}
    </>
  );
}

/**
 * The choice between a config's alternatives (a registered or an inline tool, a tool's kind, a
 * delay's seconds or time): rjsf's selector, with the accessible name rjsf's own one lacks.
 */
function AlternativesWidget(props: WidgetProps) {
  const { t } = useTranslation();
  const choices = (props.options.enumOptions ?? []) as Array<{ value: number; label: string }>;
  return (
    <select
      id={props.id}
      className="form-control alternatives"
      aria-label={props.label ? t('nodeConfig.alternativeOf', { label: props.label }) : t('nodeConfig.alternative')}
      disabled={props.disabled || props.readonly}
      value={typeof props.value === 'number' ? props.value : ''}
      onChange={(e) => props.onChange(Number(e.target.value))}
    >
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </select>
  );
}

/** Any JSON value edited as JSON text (a plain string is a template). */
function JsonConfigField(props: FieldProps) {
  const { t } = useTranslation();
  const hint = props.schema.description ?? t('fieldHint.json', { interpolation: { prefix: '\u0000', suffix: '\u0000' } });
  const title = `${props.schema.title ?? props.name}${props.required ? '*' : ''}`;
  return (
    <JsonField
      label={title}
      hint={hint}
      value={props.formData as unknown}
      onChange={(value) => props.onChange(value, props.fieldPathId.path)}
    />
  );
}

/** An object folded into a `<details>` (the retry policy): open when it holds something. */
function FoldedObjectTemplate(props: ObjectFieldTemplateProps) {
  const data: unknown = props.formData;
  const filled = data !== null && typeof data === 'object' && Object.keys(data).length > 0;
  return (
    <details className="folded" open={filled}>
      <summary>{props.title}</summary>
      {props.properties.map((p) => p.content)}
    </details>
  );
}

export const configWidgets: RegistryWidgetsType = {
  expression: (props: WidgetProps) => <CheckedText {...props} kind="expression" />,
  template: (props: WidgetProps) => <CheckedText {...props} kind="template" />,
  resource: ResourceWidget,
  alternatives: AlternativesWidget,
};

export const configFields: RegistryFieldsType = { json: JsonConfigField };

export const configObjectTemplates = { folded: FoldedObjectTemplate };
