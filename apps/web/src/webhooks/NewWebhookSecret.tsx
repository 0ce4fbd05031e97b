import { useTranslation } from 'react-i18next';
import { CopyButton } from '../common/CopyButton';
import { hookCallExample } from './hook-call-example';

/** A webhook as create answers it: the only answer that carries the secret. */
export interface CreatedHook {
  id: string;
  auth: 'hmac' | 'token';
  secret: string;
  /** The hook's full URL (origin + `/hooks/<id>`). */
  url: string;
}

/**
 * The secret of a webhook just made, with its URL and a curl call that works as is. Shown once:
 * the server never answers the secret again, and `onDismiss` forgets it here too.
 */
export function NewWebhookSecret({ hook, onDismiss }: { hook: CreatedHook; onDismiss: () => void }) {
  const { t } = useTranslation();
  const example = hookCallExample(hook);
  return (
    <div className="secret-once" role="status" data-testid="webhook-created">
      <p>{hook.auth === 'hmac' ? t('webhooks.shownOnceHmac') : t('webhooks.shownOnceToken')}</p>
      <code data-testid="webhook-secret">{hook.secret}</code>
      <CopyButton text={hook.secret} label={t('webhooks.copySecret')} testId="copy-webhook-secret" />
      <p>{t('webhooks.url')}</p>
      <code data-testid="webhook-created-url">{hook.url}</code>
      <p>{t('webhooks.example')}</p>
      <pre data-testid="webhook-example" tabIndex={0} aria-label={t('webhooks.example')}>
        {example}
      </pre>
      <CopyButton text={example} label={t('webhooks.copyExample')} />
      <p>
        <button type="button" onClick={onDismiss}>
          {t('webhooks.dismiss')}
        </button>
      </p>
    </div>
  );
}
