import { Injectable } from '@nestjs/common';
import type { RequestContext, ResolvedPrincipal } from '@flowstack/contracts';
import { API_KEY_MARK } from '@flowstack/messaging';
import { ApiKeyVerifier } from '../auth/api-key.verifier';
import { PrincipalVerifier } from '../auth/principal.verifier';
import { ApiKeyLimiter } from '../rate-limit/api-key-limiter';
import { ApiKeyUsage } from '../rate-limit/api-key-usage';

/** The ids a socket's calls carry from its upgrade request. */
export type CallOrigin = Pick<RequestContext, 'correlationId' | 'traceparent'>;

/**
 * The live socket's one authentication seam: a token (from the upgrade's `Authorization` header or
 * the browser's auth message) and the workspace asked for, to the principal the socket acts as.
 * The gateway verifies the token itself, as for HTTP (signature, expiry, and revocation and
 * membership from identity's auth feed): no bus request per socket.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(
    private readonly verifier: PrincipalVerifier,
    private readonly apiKeys: ApiKeyVerifier,
    private readonly limiter: ApiKeyLimiter,
    private readonly usage: ApiKeyUsage,
  ) {}

  /**
   * Throws `unauthenticated` for a bad, expired or revoked token or API key, `rate_limited` for a
   * key over its limit, `not_found` for a workspace the
   * user does not belong to, and `validation_failed` when a user of several workspaces names none.
   */
  async principalOf(token: string, workspaceId: string | undefined): Promise<ResolvedPrincipal> {
    if (!token.startsWith(API_KEY_MARK)) return this.verifier.verify(token, workspaceId || undefined);
    // An API key, as on REST: checked from the feed, counted against its limit, marked used.
    const principal = this.apiKeys.verify(token, workspaceId || undefined);
    await this.limiter.consume(principal.apiKeyId as string);
    this.usage.used(principal.apiKeyId as string);
    return principal;
  }
}
