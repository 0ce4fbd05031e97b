import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { FlowstackError } from '@flowstack/contracts';

/** What a unique index stands for: the request field it guards, and the message of a 409. */
export interface UniqueRule {
  constraint: string;
  path: string;
  message: string;
}

/**
 * Runs a write and turns a violation of one of `rules`' unique indexes into
 * `FlowstackError('conflict')` at the rule's field path (not retryable: the caller must pick
 * another value). The index, not a prior read, decides, so two concurrent creates cannot both win.
 */
export async function conflictOnUnique<T>(rules: readonly UniqueRule[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) {
      const rule = rules.find((r) => e.message.includes(r.constraint));
      if (rule)
        throw new FlowstackError('conflict', rule.message, [{ path: rule.path, message: rule.message, rule: 'duplicate' }]);
    }
    throw e;
  }
}
