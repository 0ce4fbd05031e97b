import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { TokenExpiredError } from 'jsonwebtoken';
import { FlowstackError, type ResolvedPrincipal } from '@flowstack/contracts';
import { ApiKeyLimiter } from '../rate-limit/api-key-limiter';
import { ApiKeyUsage } from '../rate-limit/api-key-usage';
import { IS_PUBLIC } from './public.decorator';
import { WORKSPACE_FROM_PATH } from './workspace-from-path.decorator';
import { contextFor, type AuthenticatedRequest } from './request-context';

/**
 * The authentication guard of the gateway, installed globally (`APP_GUARD`): every route needs a
 * valid bearer credential unless it is marked `@Public()`. Authentication is the passport
 * `api-key` strategy for `fsk_…` keys (`ApiKeyStrategy`; each call counts against the key's rate
 * limit and marks it used) and the `jwt` strategy (`JwtStrategy`) otherwise; the principal becomes the request's NATS context (workspace, actor
 * with role, correlation id, traceparent).
 *
 * Failures are our typed errors, so the problem filter answers them as before: 401
 * `unauthenticated` (no token, `invalid token`, `token expired`, `token revoked`), 404
 * `workspace not found`, 400 when several workspaces and none named, 503 while the auth feed loads.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(['api-key', 'jwt']) {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: ApiKeyLimiter,
    private readonly usage: ApiKeyUsage,
  ) {
    super();
  }

  override async canActivate(host: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [host.getHandler(), host.getClass()])) return true;
    // Socket message handlers carry no HTTP request to authenticate: the live socket authenticates
    // itself (at the upgrade, or with its auth message) and marks its handler @Public(). Any other
    // one fails closed.
    if (host.getType() !== 'http') return false;
    const req = host.switchToHttp().getRequest<AuthenticatedRequest & { user?: ResolvedPrincipal }>();
    const fromPath = this.reflector.getAllAndOverride<string | undefined>(WORKSPACE_FROM_PATH, [
      host.getHandler(),
      host.getClass(),
    ]);
    if (fromPath) adoptPathWorkspace(req, fromPath);
    await super.canActivate(host);
    const principal = req.user as ResolvedPrincipal;
    if (principal.apiKeyId) {
      await this.limiter.consume(principal.apiKeyId);
      this.usage.used(principal.apiKeyId);
    }
    req.principal = principal;
    req.context = contextFor(principal, req);
    return true;
  }

  /**
   * passport's outcome as our errors: `err` from a strategy's `validate`, `info` from passport-jwt's
   * own checks (with two strategies passport hands over one per strategy: `api-key` gives none).
   */
  override handleRequest<TUser = ResolvedPrincipal>(err: unknown, user: unknown, infos: unknown): TUser {
    const info: unknown = Array.isArray(infos) ? infos.find((i) => i !== undefined) : infos;
    // A FlowstackError from `validate` as it is; anything else is a bug the problem filter logs (500).
    if (err) throw err instanceof Error ? err : new Error('authentication failed with a non-error value');
    if (user) return user as TUser;
    if (info instanceof TokenExpiredError) throw new FlowstackError('unauthenticated', 'token expired');
    if (info instanceof Error && info.message === 'No auth token') {
      throw new FlowstackError('unauthenticated', 'send a token: Authorization: Bearer <token>');
    }
    throw new FlowstackError('unauthenticated', 'invalid token');
  }
}

/** The path's workspace becomes the requested one (see `@WorkspaceFromPath`). */
function adoptPathWorkspace(req: AuthenticatedRequest, param: string): void {
  const raw = req.params[param];
  const fromPath = (Array.isArray(raw) ? raw[0] : raw)?.toLowerCase();
  if (!fromPath) return;
  const header = req.header('x-workspace-id');
  if (header && header.toLowerCase() !== fromPath) {
    throw new FlowstackError('validation_failed', 'X-Workspace-Id names another workspace than the path', [
      { path: 'X-Workspace-Id', message: 'must be the workspace in the path, or absent', rule: 'mismatch' },
    ]);
  }
  req.headers['x-workspace-id'] = fromPath;
}
