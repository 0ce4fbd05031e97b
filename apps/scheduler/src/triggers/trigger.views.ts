import type { TriggerFireView, TriggerView } from '@flowstack/contracts';
import type { Trigger } from './trigger.entity';

/** A trigger as callers see it. */
export const toTriggerView = (t: Trigger): TriggerView => ({
  id: t.id,
  sourceWorkflowId: t.sourceWorkflowId,
  on: t.onOutcomes,
  condition: t.condition ?? null,
  targetWorkflowId: t.targetWorkflowId,
  targetVersion: t.targetVersion ?? 'latest',
  input: t.inputMapping ?? null,
  enabled: t.enabled,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** A row of `scheduler.trigger_fires`. */
export interface TriggerFireRow {
  source_execution_id: string;
  source_outcome: TriggerFireView['sourceOutcome'];
  result: TriggerFireView['result'];
  execution_id: string | null;
  depth: number;
  error: string | null;
  fired_at: Date;
}

export const toTriggerFireView = (r: TriggerFireRow): TriggerFireView => ({
  sourceExecutionId: r.source_execution_id,
  sourceOutcome: r.source_outcome,
  result: r.result,
  executionId: r.execution_id,
  depth: r.depth,
  error: r.error,
  firedAt: new Date(r.fired_at).toISOString(),
});
