import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { FlowstackError, type RequestContext, type ResolvedPrincipal, type Role } from '@flowstack/contracts';
import { randomHex } from '@flowstack/service-kit';
import { hasRole } from '../access/access-policy';
import { CORRELATION_HEADER, correlationIdOf } from '../http/correlation-id';

/** What the auth guard leaves on an authenticated request. */
export interface AuthenticatedRequest extends Request {
  principal?: ResolvedPrincipal;
  context?: RequestContext;
}

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** Continues the caller's W3C trace when it sent one; starts a new trace otherwise. */
export const traceparentOf = (header: string | undefined): string =>
  header && TRACEPARENT.test(header) ? header : `00-${randomHex(16)}-${randomHex(8)}-01`;

/** Who acts: the user, or the API key (its id; the creator is not the actor). */
export const actorOf = (principal: ResolvedPrincipal): RequestContext['actor'] =>
  principal.apiKeyId
    ? { id: principal.apiKeyId, type: 'api_key', role: principal.role }
    : { id: principal.userId, type: 'user', role: principal.role };

/** Builds the context that travels in NATS headers from a resolved principal. */
export function contextFor(principal: ResolvedPrincipal, req: Request): RequestContext {
  return {
    workspaceId: principal.workspaceId,
    actor: actorOf(principal),
    correlationId: correlationIdOf(req.headers[CORRELATION_HEADER]),
    traceparent: traceparentOf(req.header('traceparent')),
  };
}

/** Context for calls made before anyone is authenticated (register, login). */
export const anonymousContext = (req: Request): RequestContext => ({
  workspaceId: '',
  actor: { id: 'anonymous', type: 'user' },
  correlationId: correlationIdOf(req.headers[CORRELATION_HEADER]),
  traceparent: traceparentOf(req.header('traceparent')),
});

/** Controller parameter: the authenticated request's context. */
export const Ctx = createParamDecorator((_: unknown, host: ExecutionContext): RequestContext => {
  const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.context) throw new FlowstackError('unauthenticated', 'authentication required');
  return req.context;
});

/**
 * Throws 403 below the needed role. Route access is `ACCESS_POLICY`'s job (the global `RolesGuard`):
 * this is only for a rule that depends on the data of a call, not on its route.
 */
export function requireRole(ctx: RequestContext, needed: Role): void {
  const role = ctx.actor.role ?? 'viewer';
  if (!hasRole(role, needed)) throw new FlowstackError('forbidden', `this needs the ${needed} role; you are ${role}`);
}
