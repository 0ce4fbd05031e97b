import type { MsgHdrs } from '@nats-io/transport-node';
import { BaseRpcContext } from '@nestjs/microservices';
import type { RequestContext } from '@flowstack/contracts';
import { contextFromHeaders } from './context-headers';

/**
 * What a `@MessagePattern` handler gets from `@Ctx()` on our NATS transport (`RpcServer`): the
 * caller's `requestContext` read from the headers (workspace, actor, correlation id,
 * `traceparent`), plus the subject and raw headers. A handler takes the tenant from here, never
 * from the body, and passes `requestContext` on to every call it makes.
 */
export class RpcContext extends BaseRpcContext<[subject: string, headers: MsgHdrs | undefined]> {
  /** The caller's context; missing headers become explicit empties (`contextFromHeaders`). */
  readonly requestContext: RequestContext;

  constructor(subject: string, headers: MsgHdrs | undefined) {
    super([subject, headers]);
    this.requestContext = contextFromHeaders(headers);
  }

  /** The subject the request came on, with the namespace prefix. */
  getSubject(): string {
    return this.args[0];
  }

  /** The NATS headers as received, if any. */
  getHeaders(): MsgHdrs | undefined {
    return this.args[1];
  }
}
