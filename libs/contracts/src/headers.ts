/**
 * Header names carried by every NATS request and every published message, so a handler never has
 * to trust a body field for tenancy and traces cross process boundaries.
 */
export const Header = {
  workspaceId: 'fs-workspace-id',
  actorId: 'fs-actor-id',
  actorType: 'fs-actor-type',
  actorRole: 'fs-actor-role',
  correlationId: 'fs-correlation-id',
  causationId: 'fs-causation-id',
  traceparent: 'traceparent',
  /** On EVENTS messages: the event's stream and position within it. */
  streamId: 'fs-stream-id',
  streamPosition: 'fs-stream-position',
  eventType: 'fs-event-type',
  /** On error replies: the error code (the body carries the full error). */
  errorCode: 'fs-error-code',
} as const;

export type Role = 'admin' | 'editor' | 'viewer';
export type ActorType = 'user' | 'api_key' | 'system';

/** Who is asking, for which workspace, as part of which request chain. */
export interface RequestContext {
  /** Empty only for calls that precede a workspace (register, login, resolve). */
  workspaceId: string;
  actor: { id: string; type: ActorType; role?: Role };
  correlationId: string;
  traceparent?: string;
}
