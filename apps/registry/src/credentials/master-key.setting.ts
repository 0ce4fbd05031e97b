import { FlowstackError } from '@flowstack/contracts';
import { keyringFromEnv, KeyringConfigError, type Keyring } from '@flowstack/vault';

/**
 * The keyring credentials are sealed with (`FLOWSTACK_MASTER_KEY`, `FLOWSTACK_MASTER_KEYS_PREVIOUS`).
 *
 * - set: parsed by `@flowstack/vault`; a malformed key stops start-up, naming the variable.
 * - unset with `NODE_ENV=production`: stops start-up (a deployment must never run without one).
 * - unset elsewhere: `undefined`; the registry starts and every credential write answers
 *   `unavailable` naming the variable (`npm start` always sets a per-install key).
 *
 * Throws `FlowstackError('validation_failed')` with one line for the operator, never key material.
 */
export function masterKeyringFromEnv(env: NodeJS.ProcessEnv): Keyring | undefined {
  if (!env.FLOWSTACK_MASTER_KEY?.trim() && env.NODE_ENV !== 'production') return undefined;
  try {
    return keyringFromEnv(env);
  } catch (e) {
    if (e instanceof KeyringConfigError) {
      const why = env.FLOWSTACK_MASTER_KEY?.trim() ? '' : ' (required when NODE_ENV=production)';
      throw new FlowstackError('validation_failed', `${e.message}${why}`);
    }
    throw e;
  }
}
