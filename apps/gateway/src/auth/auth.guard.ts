import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { FlowstackError, Rpc, type ResolvedPrincipal } from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { anonymousContext, contextFor, type AuthenticatedRequest } from './request-context';

/** Reads a bearer token from `Authorization: Bearer <token>`. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Authenticates every call it guards: identity verifies the token (signature, expiry, revocation)
 * and the membership of the requested workspace (`X-Workspace-Id`, optional for users with one
 * workspace), and answers with the role that the handlers check.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly rpc: RpcClient) {}

  async canActivate(host: ExecutionContext): Promise<boolean> {
    const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(req.header('authorization'));
    if (!token) throw new FlowstackError('unauthenticated', 'send a token: Authorization: Bearer <token>');
    const workspaceId = req.header('x-workspace-id') || undefined;
    const principal = await this.rpc.request<ResolvedPrincipal>(
      Rpc.identity.resolve,
      { token, workspaceId },
      anonymousContext(req),
    );
    req.principal = principal;
    req.context = contextFor(principal, req);
    return true;
  }
}
