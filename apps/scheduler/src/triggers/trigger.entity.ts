import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import type { RunOutcome } from '@flowstack/contracts';

const TriggerSchema = defineEntity({
  name: 'Trigger',
  schema: 'scheduler',
  tableName: 'triggers',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workspaceId: p.uuid(),
    sourceWorkflowId: p.uuid(),
    onOutcomes: p.json<RunOutcome[]>(),
    /** JSONata over the source run; null fires on every matching outcome. */
    condition: p.text().nullable(),
    targetWorkflowId: p.uuid(),
    /** A pinned version of the target; null runs its current one. */
    targetVersion: p.integer().nullable(),
    /** JSONata mapping the source run to the target's input; null is the source's `output`. */
    inputMapping: p.text().nullable(),
    enabled: p.boolean(),
    createdBy: p.string(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
    deletedAt: p.datetime().nullable(),
  },
});

/** An event trigger: when a run of the source workflow ends so, start the target with a mapped input. */
export class Trigger extends TriggerSchema.class {}
TriggerSchema.setClass(Trigger);
