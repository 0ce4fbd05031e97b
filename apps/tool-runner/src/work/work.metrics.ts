import { Counter } from 'prom-client';
import { metricsRegistry } from '@flowstack/service-kit';

/**
 * `flowstack_tasks_total{node_type,outcome}`: node tasks this runner process finished, by node type
 * and what it did with each: `succeeded` or `failed` (a result published), `handed_back` (nak'ed at
 * shutdown for another runner). Node types are the platform's fixed set.
 */
export const tasksDone = new Counter({
  name: 'flowstack_tasks_total',
  help: 'Node tasks finished by this tool-runner process, by node type and outcome (succeeded, failed, handed_back)',
  labelNames: ['node_type', 'outcome'] as const,
  registers: [metricsRegistry],
});
