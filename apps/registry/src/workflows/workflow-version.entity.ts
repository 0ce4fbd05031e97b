import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/postgresql';
import type { WorkflowGraph } from '@flowstack/contracts';
import { Workflow } from './workflow.entity';

const WorkflowVersionSchema = defineEntity({
  name: 'WorkflowVersion',
  schema: 'registry',
  tableName: 'workflow_versions',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    workflow: () => p.manyToOne(Workflow),
    /** 1, 2, 3 ... per workflow; unique with the workflow. */
    version: p.integer(),
    name: p.string(),
    description: p.text().nullable(),
    graph: p.json<WorkflowGraph>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** The actor id from the request headers (a user or an API key). */
    createdBy: p.string(),
  },
  uniques: [{ properties: ['workflow', 'version'] }],
});

/**
 * One saved state of a workflow. Immutable: executions pin a version, so it must read the same
 * forever (a trigger refuses UPDATE in the database too).
 */
export class WorkflowVersion extends WorkflowVersionSchema.class {}
WorkflowVersionSchema.setClass(WorkflowVersion);
