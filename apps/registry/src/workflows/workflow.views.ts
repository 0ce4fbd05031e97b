import type { WorkflowVersionView, WorkflowView } from '@flowstack/contracts';
import type { Workflow } from './workflow.entity';
import type { WorkflowVersion } from './workflow-version.entity';

/** The workflow as callers see it: its current version's content under the workflow's identity. */
export const toWorkflowView = (workflow: Workflow, version: WorkflowVersion): WorkflowView => ({
  id: workflow.id,
  name: version.name,
  ...(version.description != null ? { description: version.description } : {}),
  version: version.version,
  graph: version.graph,
  createdAt: workflow.createdAt.toISOString(),
  updatedAt: workflow.updatedAt.toISOString(),
});

/** One pinned version, as the orchestrator loads it to start an execution. */
export type VersionView = WorkflowVersionView & { name: string; description?: string; createdBy: string };

export const toVersionView = (version: WorkflowVersion): VersionView => ({
  workflowId: version.workflow.id,
  version: version.version,
  name: version.name,
  ...(version.description != null ? { description: version.description } : {}),
  graph: version.graph,
  createdAt: version.createdAt.toISOString(),
  createdBy: version.createdBy,
});
