import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  FlowstackError,
  Rpc,
  executionStreamId,
  type NodeError,
  type RequestContext,
  type WorkflowVersionView,
} from '@flowstack/contracts';
import { RpcClient, systemContext } from '@flowstack/messaging';
import { ExpressionError, renderTemplate } from '@flowstack/workflow';
import {
  ExecutionRuleViolation,
  MAX_SUB_WORKFLOW_DEPTH,
  childDepthOf,
  isActive,
  scopeOf,
  type ExecutionState,
  type RecordChildStart,
  type StartedExecution,
} from '../domain';
import { ExecutionHandler } from '../executions/execution.handler';
import { ExecutionValues } from '../executions/execution-values';
import { InputValidator } from '../executions/input.validator';
import { StartPricing } from '../billing/start-pricing';
import { CancelSignalPublisher } from '../control/cancel-signal.publisher';
import type { ClaimedTimer } from '../timers/timer.store';
import { childExecutionIdOf } from './child-execution-id';

/** Timer kinds this service fires (see README.md beside this file). */
export const SUB_WORKFLOW_TIMER_KINDS: ReadonlySet<string> = new Set(['child_start', 'child_done', 'parent_cancelled']);

type StartOutcome = RecordChildStart['data']['outcome'];

/**
 * The I/O of `sub_workflow` nodes, driven by durable timer rows (`TimerService` hands it the
 * three kinds): `child_start` starts the attempt's child (same workspace, its own price snapshot)
 * and records it on the parent; `child_done` (written by the child's terminal append) settles the
 * parent's node attempt from the child's folded state; `parent_cancelled` (written by the
 * parent's terminal append) cancels the child. Each step is idempotent: the child's id is derived
 * from (parent, node, attempt), a second start finds it, and the deciders make repeats no-ops.
 */
@Injectable()
export class SubWorkflowService {
  private readonly logger = new Logger('sub-workflows');

  constructor(
    private readonly executions: ExecutionHandler,
    private readonly client: RpcClient,
    private readonly inputs: InputValidator,
    private readonly pricing: StartPricing,
    private readonly values: ExecutionValues,
    @Optional() private readonly signals?: CancelSignalPublisher,
  ) {}

  /** Fires one claimed timer of a sub-workflow kind; throws to leave it to its lease (retried). */
  async fire(timer: ClaimedTimer): Promise<void> {
    const ctx = systemContext(timer.workspaceId, timer.executionId);
    if (timer.kind === 'child_start') return this.startChild(timer, ctx);
    if (timer.kind === 'child_done') return this.settle(timer, ctx);
    if (timer.kind === 'parent_cancelled') return this.cancelChild(timer.executionId, timer.workspaceId, ctx);
  }

  private async startChild(timer: ClaimedTimer, ctx: RequestContext): Promise<void> {
    const { state } = await this.executions.load(executionStreamId(timer.executionId), timer.workspaceId);
    if (!isActive(state)) return;
    const node = state.nodes[timer.nodeId];
    if (!node || node.status !== 'scheduled' || node.timer?.timerId !== timer.timerId) return;
    const attempt = node.timer.attempt;
    const childId = childExecutionIdOf(state.executionId, timer.nodeId, attempt);
    const outcome = await this.start(state, timer.nodeId, attempt, childId, ctx);
    const { state: after } = await this.executions.handle(
      timer.executionId,
      timer.workspaceId,
      () => ({
        type: 'RecordChildStart',
        data: { nodeId: timer.nodeId, timerId: timer.timerId, outcome, now: new Date().toISOString(), random: Math.random() },
      }),
      ctx,
      `timer:${timer.executionId}:${timer.timerId}`,
    );
    // The parent ended while its child started (a cancel raced this timer): the child goes too.
    if ('started' in outcome && !isActive(after)) await this.cancelChild(childId, timer.workspaceId, ctx);
  }

  /** Starts (or finds) the child; an expected refusal is the node's error, an outage throws. */
  private async start(
    parent: StartedExecution,
    nodeId: string,
    attempt: number,
    childId: string,
    ctx: RequestContext,
  ): Promise<StartOutcome> {
    const existing = await this.executions.load(executionStreamId(childId), parent.workspaceId);
    if (existing.state.status !== 'pending') {
      const { workflowId, workflowVersion } = existing.state;
      return { started: { childExecutionId: childId, workflowId, workflowVersion } };
    }
    const config = parent.topology.nodes[nodeId].config ?? {};
    const workflowId = config.workflowId;
    const version = config.version;
    if (typeof workflowId !== 'string' || workflowId === '' || (version !== undefined && !Number.isInteger(version))) {
      return failure(
        'invalid_config',
        `sub_workflow node '${nodeId}' needs a workflowId (string) and an optional integer version`,
      );
    }
    const depth = childDepthOf(parent);
    if (depth > MAX_SUB_WORKFLOW_DEPTH) {
      return failure(
        'sub_workflow_depth_exceeded',
        `sub_workflow node '${nodeId}' would nest a child at depth ${depth}; the limit is ${MAX_SUB_WORKFLOW_DEPTH}`,
        { depth, maxDepth: MAX_SUB_WORKFLOW_DEPTH },
      );
    }
    let pinned: WorkflowVersionView;
    try {
      pinned = await this.client.request<WorkflowVersionView>(
        Rpc.registry.workflowVersionGet,
        { workflowId, ...(version === undefined ? {} : { version }) },
        ctx,
      );
    } catch (e) {
      // Another workspace's workflow is not found either: the registry scopes by the context.
      if (e instanceof FlowstackError && (e.code === 'not_found' || e.code === 'validation_failed')) {
        return failure(
          'workflow_not_found',
          `workflow ${workflowId}${version === undefined ? '' : ` v${version as number}`} not found`,
          {
            workflowId,
            ...(version === undefined ? {} : { version }),
          },
        );
      }
      throw e;
    }
    const input = await this.renderInput(parent, config.input);
    if ('error' in input) return { error: input.error };
    try {
      this.inputs.assertValid(
        { workspaceId: parent.workspaceId, workflowId: pinned.workflowId, version: pinned.version },
        pinned.graph.input_schema,
        input.value,
      );
      // The child is a run of its own: its own price snapshot, and credit to start if it costs.
      const costCaps = await this.pricing.snapshot(pinned.graph, ctx);
      await this.executions.handle(
        childId,
        parent.workspaceId,
        () => ({
          type: 'StartExecution',
          data: {
            executionId: childId,
            workspaceId: parent.workspaceId,
            workflowId: pinned.workflowId,
            workflowVersion: pinned.version,
            graph: pinned.graph,
            input: input.value,
            trigger: { type: 'sub_workflow', by: parent.executionId },
            costCaps,
            parent: { executionId: parent.executionId, nodeId, attempt, depth },
            now: new Date().toISOString(),
          },
        }),
        ctx,
      );
    } catch (e) {
      if (e instanceof FlowstackError && (e.code === 'validation_failed' || e.code === 'insufficient_credits')) {
        const code = e.code === 'validation_failed' ? 'invalid_input' : 'insufficient_credits';
        return failure(code, e.message, e.errors ? { errors: e.errors } : undefined);
      }
      if (e instanceof ExecutionRuleViolation) return failure('invalid_graph', e.message);
      throw e;
    }
    return { started: { childExecutionId: childId, workflowId: pinned.workflowId, workflowVersion: pinned.version } };
  }

  /** `config.input` rendered as a template over the parent's scope (absent: the parent's input). */
  private async renderInput(parent: StartedExecution, template: unknown): Promise<{ value: unknown } | { error: NodeError }> {
    const resolved = await this.values.scopeFor(parent.workspaceId, scopeOf(parent));
    if ('error' in resolved) return { error: resolved.error };
    if (template === undefined) return { value: resolved.scope.input };
    try {
      return { value: await renderTemplate(template, resolved.scope, { timeoutMs: 1000 }) };
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      return { error: { code: 'expression_error', message: e.message, retryable: false, details: e.details } };
    }
  }

  private async settle(timer: ClaimedTimer, ctx: RequestContext): Promise<void> {
    const attempt = Number(timer.timerId.split(':').pop());
    const childId = childExecutionIdOf(timer.executionId, timer.nodeId, attempt);
    const { state: child } = await this.executions.load(executionStreamId(childId), timer.workspaceId);
    const outcome = outcomeOf(child);
    if (!outcome || child.status === 'pending') return;
    await this.executions.handle(
      timer.executionId,
      timer.workspaceId,
      () => ({
        type: 'SettleChild',
        data: {
          nodeId: timer.nodeId,
          attempt,
          childExecutionId: childId,
          workflowId: child.workflowId,
          workflowVersion: child.workflowVersion,
          startedAt: child.startedAt,
          finishedAt: 'finishedAt' in child ? child.finishedAt : new Date().toISOString(),
          outcome,
          ...(child.status === 'completed' ? { output: child.output } : {}),
          ...(child.status === 'failed' ? { error: child.error } : {}),
          now: new Date().toISOString(),
          random: Math.random(),
        },
      }),
      ctx,
      `timer:${timer.executionId}:${timer.timerId}`,
    );
  }

  /** Cancels a child (its parent ended); one that finished already, or never started, is left alone. */
  private async cancelChild(childId: string, workspaceId: string, ctx: RequestContext): Promise<void> {
    try {
      const { state } = await this.executions.handle(
        childId,
        workspaceId,
        () => ({
          type: 'CancelExecution',
          data: { by: 'system', reason: 'parent execution ended', now: new Date().toISOString() },
        }),
        ctx,
      );
      if (state.status === 'cancelled') this.signals?.publish(state);
    } catch (e) {
      if (!(e instanceof ExecutionRuleViolation)) throw e;
      this.logger.debug(`child ${childId} not cancelled: ${e.message}`);
    }
  }
}

function outcomeOf(state: ExecutionState): 'completed' | 'failed' | 'cancelled' | undefined {
  if (state.status === 'completed' || state.status === 'failed' || state.status === 'cancelled') return state.status;
  return undefined;
}

function failure(code: string, message: string, details?: unknown): StartOutcome {
  return { error: { code, message, retryable: false, ...(details === undefined ? {} : { details }) } };
}
