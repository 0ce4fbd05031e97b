import { Injectable } from '@nestjs/common';
import type { RequestContext, ResolvedPrincipal } from '@flowstack/contracts';
import { PrincipalVerifier } from '../auth/principal.verifier';

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
  constructor(private readonly verifier: PrincipalVerifier) {}

  /**
   * Throws `unauthenticated` for a bad, expired or revoked token, `not_found` for a workspace the
   * user does not belong to, and `validation_failed` when a user of several workspaces names none.
   */
  principalOf(token: string, workspaceId: string | undefined): Promise<ResolvedPrincipal> {
    return this.verifier.verify(token, workspaceId || undefined);
  }
}
