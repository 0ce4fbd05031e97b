import { Injectable } from '@nestjs/common';
import { Rpc, type RequestContext, type ResolvedPrincipal } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';

/** The ids a socket's calls carry from its upgrade request. */
export type CallOrigin = Pick<RequestContext, 'correlationId' | 'traceparent'>;

/**
 * The live socket's one authentication seam: a token (from the upgrade's `Authorization` header or
 * the browser's auth message) and the workspace asked for, to the principal the socket acts as.
 * Today identity verifies the token over NATS (signature, expiry, revocation, membership); a
 * local verifier replaces the body of `principalOf` and nothing else.
 */
@Injectable()
export class SocketAuthenticator {
  constructor(private readonly rpc: RpcClient) {}

  /**
   * Throws `unauthenticated` for a bad, expired or revoked token, `not_found` for a workspace the
   * user does not belong to, and `validation_failed` when a user of several workspaces names none.
   */
  principalOf(token: string, workspaceId: string | undefined, origin: CallOrigin): Promise<ResolvedPrincipal> {
    return this.rpc.request<ResolvedPrincipal>(
      Rpc.identity.resolve,
      { token, workspaceId },
      { workspaceId: '', actor: { id: 'anonymous', type: 'user' }, ...origin },
    );
  }
}
