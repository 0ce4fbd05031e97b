import { Counter, Histogram } from 'prom-client';
import type { ExecutionEvent } from '@flowstack/contracts';
import { LabelBudget, metricsRegistry } from '@flowstack/service-kit';
import type { ExecutionState } from '../domain';

/**
 * Label budgets: workflow ids and model names come from users, so each label keeps its first
 * values and reports the rest as `other` (LabelBudget). Node types and outcomes are fixed sets.
 */
export const MAX_WORKFLOW_LABELS = 200;
export const MAX_MODEL_LABELS = 50;
const workflows = new LabelBudget(MAX_WORKFLOW_LABELS);
const models = new LabelBudget(MAX_MODEL_LABELS);

const counter = (name: string, help: string, labelNames: string[]) =>
  new Counter({ name, help, labelNames, registers: [metricsRegistry] });

const started = counter('flowstack_executions_started_total', 'Executions started, by workflow id', ['workflow']);
const completed = counter('flowstack_executions_completed_total', 'Executions completed, by workflow id', ['workflow']);
const failed = counter('flowstack_executions_failed_total', 'Executions failed, by workflow id', ['workflow']);
const cancelled = counter('flowstack_executions_cancelled_total', 'Executions cancelled, by workflow id', ['workflow']);

const nodeSeconds = new Histogram({
  name: 'flowstack_node_duration_seconds',
  help: 'Duration of one node attempt (start to result), by node type and outcome (succeeded, failed)',
  labelNames: ['node_type', 'outcome'],
  buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});
const tokens = counter(
  'flowstack_llm_tokens_total',
  'LLM tokens used by agent_call nodes, by model and direction (input, output)',
  ['model', 'direction'],
);
const llmCost = counter('flowstack_llm_cost_microcredits_total', 'Cost of agent_call nodes in micro-credits, by model', [
  'model',
]);

/**
 * Counts what one append recorded: execution starts and ends by workflow, node attempts' durations
 * by node type, tokens and cost by model. Called once per committed append (never for a no-op or a
 * retried decision), so a redelivered result counts nothing twice. Costs a few increments.
 */
export function recordExecutionMetrics(state: ExecutionState, events: readonly { type: string; data: unknown }[]): void {
  if (state.status === 'pending') return;
  const workflow = workflows.of(state.workflowId);
  const typeOf = (nodeId: string): string => state.topology.nodes[nodeId]?.type ?? 'unknown';
  for (const event of events as ExecutionEvent[]) {
    switch (event.type) {
      case 'ExecutionStarted':
        started.inc({ workflow });
        break;
      case 'ExecutionCompleted':
        completed.inc({ workflow });
        break;
      case 'ExecutionFailed':
        failed.inc({ workflow });
        break;
      case 'ExecutionCancelled':
        cancelled.inc({ workflow });
        break;
      case 'NodeCompleted': {
        const { nodeId, durationMs, usage, cost } = event.data;
        nodeSeconds.observe({ node_type: typeOf(nodeId), outcome: 'succeeded' }, durationMs / 1000);
        if (usage) {
          const model = models.of(usage.model);
          tokens.inc({ model, direction: 'input' }, usage.inputTokens);
          tokens.inc({ model, direction: 'output' }, usage.outputTokens);
          llmCost.inc({ model }, cost);
        }
        break;
      }
      case 'NodeFailed':
        if (event.data.durationMs !== undefined) {
          nodeSeconds.observe({ node_type: typeOf(event.data.nodeId), outcome: 'failed' }, event.data.durationMs / 1000);
        }
        break;
      default:
        break;
    }
  }
}
