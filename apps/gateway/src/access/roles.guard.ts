import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FlowstackError } from '@flowstack/contracts';
import { IS_PUBLIC } from '../auth/public.decorator';
import type { AuthenticatedRequest } from '../auth/request-context';
import { hasRole, policyKeyOf, requiredRoleOf } from './access-policy';

/**
 * The second global guard, after `JwtAuthGuard`: the caller's role in the active workspace against
 * `ACCESS_POLICY`. Below the row's role: 403 `forbidden` (problem+json). A route the table lacks is
 * refused as well (fail closed; the coverage test names it first). `@Public()` routes and socket
 * handlers (which check their `WS` rows themselves) pass through.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  private readonly logger = new Logger('access');

  constructor(private readonly reflector: Reflector) {}

  canActivate(host: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [host.getHandler(), host.getClass()])) return true;
    if (host.getType() !== 'http') return false;
    const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = policyKeyOf(req.method, routePathOf(req));
    const needed = requiredRoleOf(key);
    if (!needed) {
      this.logger.error(`no access policy row for ${key}: refused (add it to ACCESS_POLICY)`);
      throw new FlowstackError('forbidden', 'this route has no access policy');
    }
    const role = req.principal?.role;
    if (!role) throw new FlowstackError('unauthenticated', 'authentication required');
    if (!hasRole(role, needed)) throw new FlowstackError('forbidden', `this needs the ${needed} role; you are ${role}`);
    return true;
  }
}

/** The route pattern Express matched (`/api/v1/workflows/:id`), never the concrete URL. */
function routePathOf(req: AuthenticatedRequest): string {
  const route = (req as { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : '(unmatched)';
}
