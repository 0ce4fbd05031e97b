import { FlowstackError, type Role } from '@flowstack/contracts';
import type { GroupRoles } from '../domain/oidc-claims.rules';

/** OpenID Connect login settings (`OIDC_*`); absent when `OIDC_ISSUER_URL` is unset. */
export interface OidcConfig {
  /** `OIDC_ISSUER_URL`, e.g. `https://sso.example.com/realms/acme` for Keycloak. */
  issuerUrl: string;
  clientId: string;
  /** `OIDC_CLIENT_SECRET`: a confidential client (HTTP Basic at the token endpoint); unset, a public client. */
  clientSecret: string | undefined;
  /** `OIDC_REDIRECT_URI`: the gateway's `/api/v1/auth/oidc/callback` as the browser reaches it. */
  redirectUri: string;
  /** `OIDC_SCOPES`, space-separated (default `openid email profile`; `openid` is always added). */
  scopes: string;
  /** `OIDC_GROUPS_CLAIM`: the ID token claim that lists the user's groups (unset: no role mapping). */
  groupsClaim: string | undefined;
  /** `OIDC_GROUP_ROLES`: `group=role` pairs, comma-separated; the highest role of the user's groups wins. */
  groupRoles: GroupRoles;
  /** `OIDC_WORKSPACE_ID`: the workspace the mapped role is granted in (required with `OIDC_GROUP_ROLES`). */
  workspaceId: string | undefined;
  /** How long a started login may take, in seconds (`OIDC_LOGIN_TTL_S`, default 600). */
  loginTtlSeconds: number;
  /** Plain HTTP to the issuer, allowed only for a loopback issuer (tests, local providers). */
  allowHttp: boolean;
}

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (message: string): FlowstackError => new FlowstackError('validation_failed', message);

/** Reads `OIDC_*`; undefined when OIDC is off. Throws naming the variable when one is malformed. */
export function loadOidcConfig(env: NodeJS.ProcessEnv): OidcConfig | undefined {
  const issuer = env.OIDC_ISSUER_URL?.trim();
  if (!issuer) return undefined;
  const issuerUrl = urlOf('OIDC_ISSUER_URL', issuer);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuerUrl.hostname);
  if (issuerUrl.protocol !== 'https:' && !(issuerUrl.protocol === 'http:' && loopback)) {
    throw invalid(`OIDC_ISSUER_URL must be an https URL (plain http only on loopback), got "${issuer}"`);
  }
  const clientId = env.OIDC_CLIENT_ID?.trim();
  if (!clientId) throw invalid('OIDC_CLIENT_ID is required when OIDC_ISSUER_URL is set');
  const redirect = env.OIDC_REDIRECT_URI?.trim();
  if (!redirect) throw invalid('OIDC_REDIRECT_URI is required when OIDC_ISSUER_URL is set');
  const redirectUri = urlOf('OIDC_REDIRECT_URI', redirect).href;
  const scopes = new Set((env.OIDC_SCOPES?.trim() || 'openid email profile').split(/\s+/));
  scopes.add('openid');
  const groupRoles = parseGroupRoles(env.OIDC_GROUP_ROLES ?? '');
  const workspaceId = env.OIDC_WORKSPACE_ID?.trim() || undefined;
  if (workspaceId && !UUID.test(workspaceId))
    throw invalid(`OIDC_WORKSPACE_ID must be a workspace id (UUID), got "${workspaceId}"`);
  if (groupRoles.size > 0 && !workspaceId)
    throw invalid('OIDC_GROUP_ROLES needs OIDC_WORKSPACE_ID: the workspace the roles apply in');
  const ttl = Number(env.OIDC_LOGIN_TTL_S || 600);
  if (!Number.isInteger(ttl) || ttl < 30 || ttl > 3600)
    throw invalid(`OIDC_LOGIN_TTL_S must be between 30 and 3600, got "${env.OIDC_LOGIN_TTL_S}"`);
  return {
    // As written: discovery compares it with the provider's `issuer` character for character.
    issuerUrl: issuer,
    clientId,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    redirectUri,
    scopes: [...scopes].join(' '),
    groupsClaim: groupRoles.size > 0 ? env.OIDC_GROUPS_CLAIM?.trim() || 'groups' : undefined,
    groupRoles,
    workspaceId,
    loginTtlSeconds: ttl,
    allowHttp: issuerUrl.protocol === 'http:',
  };
}

function urlOf(name: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw invalid(`${name} must be an absolute URL, got "${value}"`);
  }
}

/** `fs-admins=admin, fs-devs=editor` -> a map; throws on an unknown role or a malformed pair. */
export function parseGroupRoles(raw: string): GroupRoles {
  const map = new Map<string, Role>();
  for (const pair of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.lastIndexOf('=');
    const group = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim() as Role;
    if (at < 1 || !group || !ROLES.includes(role)) {
      throw invalid(`OIDC_GROUP_ROLES must be group=role pairs (role admin, editor or viewer), got "${pair}"`);
    }
    map.set(group, role);
  }
  return map;
}
