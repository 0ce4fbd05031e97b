import { Inject, Injectable } from '@nestjs/common';
import { FlowstackError, Limits, type EvaluationScope, type NodeResult, type NodeTask } from '@flowstack/contracts';
import { ValueStore, resolveScope } from '@flowstack/messaging';
import { NodeFailure } from './node-failure';

/**
 * The claim check of the tool-runner: a task's references (input, node outputs, or its whole
 * scope) are resolved before the node runs, so templates see real values; an output above
 * `Limits.inlineValueBytes` is stored out of band and the result carries its reference, so the
 * result always fits on the bus. A task without references (the common case) costs one look per
 * node and no round trip.
 */
@Injectable()
export class TaskValues {
  constructor(@Inject(ValueStore) private readonly store: ValueStore) {}

  /**
   * The task with its references resolved. A value that is gone or corrupt throws
   * `NodeFailure('value_unavailable')` (not retryable); NATS being away throws its own error.
   */
  async resolve(task: NodeTask): Promise<NodeTask> {
    try {
      let scope = task.scope;
      if (task.scopeRef) {
        const stored = (await this.store.resolve(task.workspaceId, task.scopeRef)) as EvaluationScope;
        scope = { ...stored, execution: task.scope.execution };
      }
      const resolved = await resolveScope(scope, (ref) => this.store.resolve(task.workspaceId, ref));
      return resolved === task.scope ? task : { ...task, scope: resolved };
    } catch (e) {
      if (e instanceof FlowstackError) throw new NodeFailure('value_unavailable', e.message, false);
      throw e;
    }
  }

  /**
   * The result as it may be published: a large output (or a failure's large `details`, such as an
   * error response's body) replaced by its reference; an output above `Limits.maxValueBytes`
   * turns the result into a failure `output_too_large`. Throws when the store cannot be written
   * (the task is then retried, as for any publish failure).
   */
  async settle(workspaceId: string, result: NodeResult): Promise<NodeResult> {
    if (result.status === 'succeeded') {
      const offloaded = await this.store.offload(workspaceId, result.output);
      if (offloaded.kind === 'inline') return result;
      if (offloaded.kind === 'ref') return { ...result, output: offloaded.ref };
      // The failure keeps what the attempt cost (an agent's turns were paid all the same).
      const { output: _output, ...rest } = result;
      return {
        ...rest,
        status: 'failed',
        error: {
          code: 'output_too_large',
          message: `the node's output is ${offloaded.size} bytes of JSON; a value may be at most ${Limits.maxValueBytes}`,
          retryable: false,
        },
      };
    }
    if (result.error.details === undefined) return result;
    const details = await this.store.offload(workspaceId, result.error.details);
    if (details.kind === 'inline') return result;
    return {
      ...result,
      error: { ...result.error, details: details.kind === 'ref' ? details.ref : { truncated: true, size: details.size } },
    };
  }
}
