import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  /** Loads again (after a change the page made). */
  reload: () => void;
}

/** Runs `load` when `deps` change and on `reload()`; a problem's detail becomes `error`. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then((data) => !cancelled && setState({ data, loading: false }))
      .catch((e: unknown) => !cancelled && setState({ error: messageOf(e), loading: false }));
    return () => {
      cancelled = true;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** A problem's detail, or the error's message. */
export const messageOf = (e: unknown): string =>
  e instanceof ApiError ? e.problem.detail : e instanceof Error ? e.message : String(e);
