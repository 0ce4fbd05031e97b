import { Inject, Injectable, type CanActivate, type ExecutionContext, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION } from '@flowstack/messaging';
import { policyKeyOf, type PolicyKey } from '../access/access-policy';
import type { AuthenticatedRequest } from '../auth/request-context';
import { GATEWAY_CONFIG, type GatewayConfig } from '../gateway.config';
import { EXECUTION_START_ROUTES } from './execution-start-routes';
import type { RateLimiterNatsKv } from './nats-kv-rate-limiter';
import { consumeOrRefuse, createSharedLimiter } from './shared-limiter';

/**
 * The third global guard, after authentication and roles: a call of a route that starts an
 * execution (`EXECUTION_START_ROUTES`) counts against its workspace's start limit
 * (`GATEWAY_START_RATE_POINTS` per `GATEWAY_START_RATE_WINDOW_S`, shared by every gateway replica).
 * Over it: 429 `rate_limited` with `Retry-After`; nothing is started, and other workspaces are
 * unaffected. Only callers that passed the role check count, so a viewer's refused calls cannot
 * use up an editor's budget. Scheduled fires and triggers start executions inside the platform and
 * are not counted here.
 */
@Injectable()
export class ExecutionStartGuard implements CanActivate, OnModuleInit {
  private limiter?: RateLimiterNatsKv;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.startRate.points === 0) return;
    this.limiter = await createSharedLimiter(this.nc, this.ns, 'starts', this.config.startRate);
  }

  async canActivate(host: ExecutionContext): Promise<boolean> {
    if (host.getType() !== 'http' || this.config.startRate.points === 0) return true;
    const req = host.switchToHttp().getRequest<AuthenticatedRequest>();
    const route = (req as { route?: { path?: unknown } }).route;
    if (typeof route?.path !== 'string') return true;
    if (!EXECUTION_START_ROUTES.has(policyKeyOf(req.method, route.path) as PolicyKey)) return true;
    const workspaceId = req.principal?.workspaceId;
    if (!workspaceId) return true;
    const { points, windowSeconds } = this.config.startRate;
    await consumeOrRefuse(
      this.limiter,
      workspaceId,
      `this workspace is over its limit of ${points} execution starts per ${windowSeconds} s`,
    );
    return true;
  }
}
