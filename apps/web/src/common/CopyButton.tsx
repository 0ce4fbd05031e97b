import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Copies `text` to the clipboard and says so; `label` is its text until then (the visible text is
 * the accessible name, so a screen reader hears what is shown). The clipboard can be refused (no permission, no
 * secure context): then the button says to select the text by hand, which stays on the page.
 */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <button type="button" data-testid={testId} onClick={() => void copy()}>
      {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : label}
    </button>
  );
}
