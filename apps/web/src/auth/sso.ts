import { api, unwrap, type Session } from '../api/client';
import { tokenOfFragment } from './sso-fragment';

/**
 * The token single sign-on leaves in the URL fragment (`/#token=<jwt>`, the gateway's OIDC
 * callback redirect), taken out of the address bar at once so it is not kept in history or shared
 * by a copied link. A fragment never reaches a server log.
 */
export function takeTokenFromFragment(location: Location = window.location): string | undefined {
  // Read the fragment before replaceState: `location` is live and its hash is empty afterwards.
  const hash = location.hash;
  if (!hash.startsWith('#token=')) return undefined;
  window.history.replaceState(null, '', `${location.pathname}${location.search}`);
  return tokenOfFragment(hash);
}

/** A session for an SSO token: who it is and their first workspace, from `GET /auth/me`. */
export async function sessionForToken(token: string): Promise<Session> {
  const me = unwrap(await api.GET('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } }));
  const workspaceId = me.workspaces?.[0]?.id;
  if (!workspaceId || !me.user) throw new Error('this account has no workspace');
  return { token, workspaceId, email: me.user.email };
}

/** Whether this deployment offers single sign-on (`GET /auth/oidc/status`); false when it cannot tell. */
export async function ssoEnabled(): Promise<boolean> {
  try {
    return unwrap(await api.GET('/api/v1/auth/oidc/status')).enabled;
  } catch {
    return false;
  }
}
