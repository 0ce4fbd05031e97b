import { Inject, Injectable, Logger } from '@nestjs/common';
import { FlowstackError, type DeadLetterView } from '@flowstack/contracts';
import { systemContext } from '@flowstack/messaging';
import { ExecutionRuleViolation } from '../domain';
import { ExecutionHandler } from '../executions/execution.handler';
import { deadLettersTotal } from './dead-letter.metrics';
import { DEAD_LETTER_STORE } from './dead-letter.tokens';
import { cleanText, DEAD_LETTER_ERROR_CHARS, type DeadLetterStore, type NewDeadLetter } from './dead-letter.store';

/** The node attempt a parked message belonged to, and the error it fails with. */
export interface NodeToFail {
  executionId: string;
  workspaceId: string;
  nodeId: string;
  attempt: number;
  taskId: string;
  /** e.g. `result_unprocessable`, `task_undeliverable`. */
  code: string;
  message: string;
}

/**
 * Parks poison: records a dead letter (once per message), logs it, counts it (in the log line and
 * `flowstack_dead_letters_total{source}`), and fails the node attempt it belonged to so its
 * execution ends `failed` with a clear error instead of waiting forever. Both steps are idempotent, so a caller that fails half-way simply parks again (the
 * message stays in its stream until `park` resolved). Throws on a database error.
 */
@Injectable()
export class DeadLetterRecorder {
  private readonly logger = new Logger('dead-letters');
  private readonly counts: Record<DeadLetterView['source'], number> = { results: 0, work: 0, relay: 0 };

  constructor(
    @Inject(DEAD_LETTER_STORE) private readonly store: DeadLetterStore,
    private readonly executions: ExecutionHandler,
  ) {}

  /** Dead letters this process recorded since it started, per source (as in `flowstack_dead_letters_total`). */
  get recorded(): Readonly<Record<DeadLetterView['source'], number>> {
    return this.counts;
  }

  async park(letter: NewDeadLetter, node?: NodeToFail): Promise<void> {
    const id = await this.store.record(letter);
    if (id !== undefined) {
      this.counts[letter.source]++;
      deadLettersTotal.inc({ source: letter.source });
      this.logger.error(
        `dead letter ${id} (${letter.source}, ${letter.stream} #${letter.sequence}, ${letter.deliveries} deliveries, ` +
          `workspace ${letter.workspaceId ?? '?'}, execution ${letter.executionId ?? '?'}, task ${letter.taskId ?? '?'}): ` +
          `${letter.error} [parked since start: results ${this.counts.results}, work ${this.counts.work}, relay ${this.counts.relay}]`,
      );
    }
    if (node) await this.failNode(node);
  }

  private async failNode(node: NodeToFail): Promise<void> {
    const now = new Date().toISOString();
    try {
      await this.executions.handle(
        node.executionId,
        node.workspaceId,
        () => ({
          type: 'FailNode',
          data: {
            nodeId: node.nodeId,
            attempt: node.attempt,
            taskId: node.taskId,
            error: { code: node.code, message: cleanText(node.message, DEAD_LETTER_ERROR_CHARS), retryable: false },
            failedAt: now,
            now,
          },
        }),
        systemContext(node.workspaceId, node.executionId),
        `${node.taskId}:dead-letter`,
      );
    } catch (e) {
      // A message naming no node of a real execution (or ids that cannot even name a stream): the
      // letter is all there is to record. Anything else (the database away) is worth a retry.
      if (!(e instanceof ExecutionRuleViolation) && !(e instanceof FlowstackError && !e.retryable)) throw e;
      this.logger.warn(`dead letter for task ${node.taskId} fails no node: ${e.message}`);
    }
  }
}
