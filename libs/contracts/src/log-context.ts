import { AsyncLocalStorage } from 'node:async_hooks';

/** The ids a JSON log line carries while a request, task or result is being handled. */
export interface LogContext {
  traceId?: string;
  workspaceId?: string;
  executionId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `fn` with `context` merged over the current one: every log line written inside it (and in
 * what it awaits) carries these ids when `LOG_FORMAT=json`. Empty values are left out.
 */
export function runWithLogContext<T>(context: LogContext, fn: () => T): T {
  const merged: LogContext = { ...storage.getStore() };
  for (const [key, value] of Object.entries(context) as Array<[keyof LogContext, string | undefined]>) {
    if (value) merged[key] = value;
  }
  return storage.run(merged, fn);
}

/** The ids of the work in progress, if any. */
export const currentLogContext = (): LogContext | undefined => storage.getStore();

/** The trace id of a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), if it is one. */
export const traceIdOf = (traceparent: string | undefined): string | undefined =>
  /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
