import { Inject, Injectable } from '@nestjs/common';
import { FlowstackError, type ResolvedPrincipal, type Role } from '@flowstack/contracts';
import { API_KEY_PATTERN, apiKeyHash } from '@flowstack/messaging';
import { hasRole } from '../access/access-policy';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { AuthFeed } from './auth-feed.cache';

/** The longest `X-Workspace-Id` accepted (as for tokens). */
const MAX_WORKSPACE_ID_CHARS = 100;

/**
 * API keys, checked with no request to identity: the keyed hash of the presented key is looked up
 * in the auth feed's `API_KEYS` bucket (identity writes it on create, deletes it on revoke).
 *
 * The principal acts in the key's one workspace, with the key's role capped by the creator's
 * current role there (a demoted creator demotes their keys; a creator no longer a member makes
 * them useless). Errors: `unauthenticated` (`invalid API key` for a malformed, unknown or revoked
 * key; `API key expired`); `not_found` (`workspace not found`) when `X-Workspace-Id` names another
 * workspace or the creator has left; `unavailable` while the feed loads.
 */
@Injectable()
export class ApiKeyVerifier {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly feed: AuthFeed,
  ) {}

  verify(key: string, requestedWorkspace?: string, now = Date.now()): ResolvedPrincipal {
    if (requestedWorkspace && requestedWorkspace.length > MAX_WORKSPACE_ID_CHARS) {
      throw new FlowstackError('validation_failed', 'workspaceId is too long', [
        { path: 'workspaceId', message: `must be at most ${MAX_WORKSPACE_ID_CHARS} characters`, rule: 'too_big' },
      ]);
    }
    if (!API_KEY_PATTERN.test(key)) throw new FlowstackError('unauthenticated', 'invalid API key');
    if (!this.feed.loaded) {
      throw new FlowstackError('unavailable', 'authentication data is loading; try again in a moment', undefined, 1);
    }
    const entry = this.feed.apiKeyByHash(apiKeyHash(this.config.apiKeyPepper, key));
    if (!entry) throw new FlowstackError('unauthenticated', 'invalid API key');
    if (entry.expiresAt !== null && entry.expiresAt * 1000 <= now) throw new FlowstackError('unauthenticated', 'API key expired');
    if (requestedWorkspace && requestedWorkspace.toLowerCase() !== entry.workspaceId.toLowerCase()) {
      throw new FlowstackError('not_found', 'workspace not found');
    }
    const creatorRole = this.feed.membershipsOf(entry.createdBy).get(entry.workspaceId.toLowerCase());
    if (!creatorRole) throw new FlowstackError('not_found', 'workspace not found');
    return {
      userId: entry.createdBy,
      workspaceId: entry.workspaceId,
      role: lower(entry.role, creatorRole),
      jti: entry.keyId,
      apiKeyId: entry.keyId,
      ...(entry.expiresAt !== null ? { expiresAt: entry.expiresAt } : {}),
    };
  }
}

const lower = (a: Role, b: Role): Role => (hasRole(a, b) ? b : a);
