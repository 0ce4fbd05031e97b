import { FlowstackError, type RequestContext } from '@flowstack/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical UUID; ids that are not one cannot name a row, so callers answer not_found. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** The tenant and actor of one request, taken from its headers (never from its body). */
export interface WorkspaceScope {
  workspaceId: string;
  ctx: RequestContext;
}

/**
 * The workspace a request acts in. The gateway always sets it from the verified principal, so a
 * missing or malformed one is a broken caller: `validation_failed`, not retryable.
 */
export function readScope(ctx: RequestContext): WorkspaceScope {
  if (!isUuid(ctx.workspaceId)) {
    throw new FlowstackError('validation_failed', 'the workspace id header is missing or malformed', [
      { path: 'workspaceId', message: 'a workspace id (uuid) is required in the request headers', rule: 'required' },
    ]);
  }
  return { workspaceId: ctx.workspaceId.toLowerCase(), ctx };
}

/**
 * Like `readScope`, for changes: viewers read only (ARCHITECTURE.md section 7). The gateway checks
 * roles too; checking here as well keeps a service-to-service caller from bypassing it. `what`
 * names the resources in the refusal (`workflows`, `schedules`).
 */
export function writeScope(ctx: RequestContext, what: string): WorkspaceScope {
  const scope = readScope(ctx);
  if (ctx.actor.role === 'viewer') throw new FlowstackError('forbidden', `viewers cannot change ${what}`);
  return scope;
}
