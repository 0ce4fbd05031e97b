import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

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
