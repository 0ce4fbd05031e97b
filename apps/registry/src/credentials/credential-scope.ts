import { FlowstackError, type RequestContext } from '@flowstack/contracts';
import { readScope, type WorkspaceScope } from '@flowstack/orm';

/**
 * Like `writeScope`, for credentials: only admins create, rotate, rename or delete them
 * (ARCHITECTURE.md section 7). The gateway checks too; checking here as well keeps a
 * service-to-service caller from bypassing it.
 */
export function adminScope(ctx: RequestContext): WorkspaceScope {
  const scope = readScope(ctx);
  if (ctx.actor.role !== 'admin') throw new FlowstackError('forbidden', 'only workspace admins manage credentials');
  return scope;
}

/** The actor the tool-runner sends with `registry.credential.sealed`. */
export const TOOL_RUNNER_ACTOR = { id: 'tool-runner', type: 'system' } as const;

/**
 * `registry.credential.sealed` is for the tool-runner only. NATS permissions are the guard (no
 * other service may publish to the subject); this check refuses a caller that sends any other
 * actor, so a wrongly granted permission alone does not hand out sealed values.
 */
export function toolRunnerScope(ctx: RequestContext): WorkspaceScope {
  const scope = readScope(ctx);
  if (ctx.actor.type !== TOOL_RUNNER_ACTOR.type || ctx.actor.id !== TOOL_RUNNER_ACTOR.id) {
    throw new FlowstackError('forbidden', 'sealed credential values are only for the tool-runner');
  }
  return scope;
}
