import { setApiSession, type Session } from '../api/client';

const KEY = 'flowstack.session';

/** The session survives a reload (sessionStorage: gone with the tab). */
export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as Session) : undefined;
    setApiSession(s);
    return s;
  } catch {
    return undefined;
  }
}

export function saveSession(s: Session | undefined): void {
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  setApiSession(s);
}
