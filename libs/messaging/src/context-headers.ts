import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Header, type ActorType, type RequestContext, type Role } from '@flowstack/contracts';

/** Writes the request context into NATS headers (creating them when absent). */
export function contextToHeaders(ctx: RequestContext, into: MsgHdrs = natsHeaders()): MsgHdrs {
  if (ctx.workspaceId) into.set(Header.workspaceId, ctx.workspaceId);
  into.set(Header.actorId, ctx.actor.id);
  into.set(Header.actorType, ctx.actor.type);
  if (ctx.actor.role) into.set(Header.actorRole, ctx.actor.role);
  into.set(Header.correlationId, ctx.correlationId);
  if (ctx.traceparent) into.set(Header.traceparent, ctx.traceparent);
  return into;
}

/** Reads the request context from NATS headers; missing values become explicit empties. */
export function contextFromHeaders(h: MsgHdrs | undefined): RequestContext {
  const get = (k: string): string => (h?.has(k) ? h.get(k) : '');
  const role = get(Header.actorRole);
  return {
    workspaceId: get(Header.workspaceId),
    actor: {
      id: get(Header.actorId) || 'anonymous',
      type: (get(Header.actorType) || 'system') as ActorType,
      ...(role ? { role: role as Role } : {}),
    },
    correlationId: get(Header.correlationId) || randomUUID(),
    ...(get(Header.traceparent) ? { traceparent: get(Header.traceparent) } : {}),
  };
}

/** A context for work a service does on its own behalf (relays, consumers, start-up). */
export const systemContext = (workspaceId = '', correlationId: string = randomUUID()): RequestContext => ({
  workspaceId,
  actor: { id: 'system', type: 'system' },
  correlationId,
});
