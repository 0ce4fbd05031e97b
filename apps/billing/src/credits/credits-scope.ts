import { FlowstackError, type RequestContext } from '@flowstack/contracts';
import type { BillingScope } from './credits.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The workspace a request acts in, from its headers. The gateway always sets it, and the
 * orchestrator sets its execution's: a missing or malformed one is a broken caller.
 */
export function readScope(ctx: RequestContext): BillingScope {
  if (!UUID.test(ctx.workspaceId ?? '')) {
    throw new FlowstackError('validation_failed', 'the workspace id header is missing or malformed', [
      { path: 'workspaceId', message: 'a workspace id (uuid) is required in the request headers', rule: 'required' },
    ]);
  }
  return { workspaceId: ctx.workspaceId.toLowerCase(), ctx };
}

/** Like `readScope`, for grants: admins only (the gateway checks too; this stops a bypass over the bus). */
export function adminScope(ctx: RequestContext): BillingScope {
  const scope = readScope(ctx);
  if (ctx.actor.role !== 'admin') throw new FlowstackError('forbidden', 'only admins grant credits');
  return scope;
}
