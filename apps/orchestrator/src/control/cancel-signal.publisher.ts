import { Inject, Injectable, Logger } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import { cancelSubject, type CancelSignal, type Namespace } from '@flowstack/contracts';
import { NAMESPACE, NATS_CONNECTION, encodeJson } from '@flowstack/messaging';
import type { CancelledExecution } from '../domain';

/**
 * Publishes `control.cancel.<executionId>` on core NATS (not stored) after an execution's cancel is
 * recorded: every tool-runner aborts that execution's running attempts. Losing it costs only the
 * attempts' remaining work (their results are ignored by the decider), so it is fire and forget.
 */
@Injectable()
export class CancelSignalPublisher {
  private readonly logger = new Logger('cancel');

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(NAMESPACE) private readonly ns: Namespace,
  ) {}

  publish(state: CancelledExecution): void {
    const signal: CancelSignal = {
      executionId: state.executionId,
      workspaceId: state.workspaceId,
      reason: state.cancellation.reason,
    };
    try {
      this.nc.publish(cancelSubject(this.ns, state.executionId), encodeJson(signal));
    } catch (e) {
      this.logger.warn(`cancel signal for ${state.executionId} not sent: ${(e as Error).message}`);
    }
  }
}
