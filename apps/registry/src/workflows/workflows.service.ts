import { Injectable } from '@nestjs/common';
import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import {
  FlowstackError,
  notFound,
  type CreateWorkflowRequest,
  type ListQuery,
  type Page,
  type UpdateWorkflowRequest,
  type WorkflowVersionSummary,
  type WorkflowVersionsListPayload,
  type WorkflowView,
} from '@flowstack/contracts';
import { PageBudget } from '@flowstack/messaging';
import { AuditLog } from '@flowstack/orm';
import { isUuid, type WorkspaceScope } from '@flowstack/orm';
import { decodeCursor, encodeCursor } from '@flowstack/orm';
import { checkedGraph } from './workflow-graph.check';
import { assertGraphReferences } from './graph-references.check';
import { Workflow } from './workflow.entity';
import { WorkflowVersion } from './workflow-version.entity';
import { toVersionView, toWorkflowView, type VersionView } from './workflow.views';
import { VersionCache } from './version-cache';

/** Workflow versions read per query while filling a list page. */
const VERSION_LOAD_BATCH = 10;

/** One row of `listVersions`' query: every column of a version but its graph. */
interface VersionSummaryRow {
  version: number;
  name: string;
  description: string | null;
  created_at: Date | string;
  created_by: string;
}

/** What `registry.workflow.delete` answers. */
export interface DeletedWorkflow {
  id: string;
  deleted: true;
}

/** The stream of a workflow's domain events in the event store. */
const streamOf = (workflow: Workflow): string => `workflow-${workflow.id}`;

/**
 * Workflows of one workspace at a time. Every method finds rows by (id, workspace) and skips
 * soft-deleted ones, so another tenant's workflow and a deleted one both answer `not_found`: the
 * caller cannot tell them from an id that never existed.
 */
@Injectable()
export class WorkflowsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditLog,
    private readonly versions: VersionCache,
  ) {}

  /** Creates the workflow with version 1. Throws `invalid_graph` for a graph `validateGraph` refuses. */
  async create(scope: WorkspaceScope, request: CreateWorkflowRequest): Promise<WorkflowView> {
    const graph = checkedGraph(request.graph);
    return this.audit.transaction(scope.ctx, async (em, record) => {
      await assertGraphReferences(em, scope.workspaceId, graph);
      const description = request.description ?? null;
      const workflow = em.create(Workflow, {
        workspaceId: scope.workspaceId,
        name: request.name,
        description,
        currentVersion: 1,
      });
      const version = em.create(WorkflowVersion, {
        workflow,
        version: 1,
        name: request.name,
        description,
        graph,
        createdBy: scope.ctx.actor.id,
      });
      await em.flush();
      await record(
        streamOf(workflow),
        scope.workspaceId,
        [{ type: 'WorkflowCreated', data: { workflowId: workflow.id, version: 1, name: workflow.name } }],
        'no_stream',
      );
      return toWorkflowView(workflow, version);
    });
  }

  /** The workflow at its current version. */
  async get(scope: WorkspaceScope, id: string): Promise<WorkflowView> {
    const em = this.em.fork();
    const workflow = await this.findLive(em, scope, id);
    return toWorkflowView(workflow, await this.versionOf(em, workflow, workflow.currentVersion));
  }

  /**
   * Newest first, at most `limit` per page and at most `LIST_PAGE_BUDGET_BYTES` of items, so a page
   * always fits in one bus reply however large the graphs are: when the budget stops a page early,
   * `nextCursor` resumes right after its last item (a page always holds at least one item). Keyset
   * pagination on (createdAt, id): a page does not shift when workflows are created or deleted
   * meanwhile, and the id breaks ties between equal timestamps.
   */
  async list(scope: WorkspaceScope, query: ListQuery): Promise<Page<WorkflowView>> {
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const em = this.em.fork();
    const rows = await em.find(
      Workflow,
      {
        workspaceId: scope.workspaceId,
        deletedAt: null,
        ...(after
          ? { $or: [{ createdAt: { $lt: after.createdAt } }, { createdAt: after.createdAt, id: { $lt: after.id } }] }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: query.limit + 1 },
    );
    const page = rows.slice(0, query.limit);
    const budget = new PageBudget();
    const items: WorkflowView[] = [];
    // Versions (the graphs) load a few at a time, so a page of large graphs is never all in memory
    // at once and loading stops where the budget does.
    for (let i = 0; i < page.length && !budget.full; i += VERSION_LOAD_BATCH) {
      const batch = page.slice(i, i + VERSION_LOAD_BATCH);
      const versions = await em.find(WorkflowVersion, { $or: batch.map((w) => ({ workflow: w.id, version: w.currentVersion })) });
      const current = new Map(versions.map((v) => [v.workflow.id, v]));
      for (const w of batch) {
        const view = toWorkflowView(w, current.get(w.id) ?? missingVersion(w, w.currentVersion));
        if (!budget.admit(Buffer.byteLength(JSON.stringify(view)))) break;
        items.push(view);
      }
    }
    const last = items.length > 0 ? page[items.length - 1] : undefined;
    const more = budget.full || rows.length > query.limit;
    return { items, nextCursor: more && last ? encodeCursor(last) : null };
  }

  /**
   * Saves a new immutable version (current + 1) from the given fields and the current version's
   * others. The workflow row is locked for the transaction, so concurrent saves queue up and each
   * gets the next number; the unique (workflow, version) constraint backs that up.
   */
  async update(scope: WorkspaceScope, id: string, changes: UpdateWorkflowRequest): Promise<WorkflowView> {
    const graph = changes.graph === undefined ? undefined : checkedGraph(changes.graph);
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const workflow = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      if (graph) await assertGraphReferences(em, scope.workspaceId, graph);
      const current = await this.versionOf(em, workflow, workflow.currentVersion);
      const next = em.create(WorkflowVersion, {
        workflow,
        version: current.version + 1,
        name: changes.name ?? current.name,
        description: changes.description ?? current.description,
        graph: graph ?? current.graph,
        createdBy: scope.ctx.actor.id,
      });
      workflow.currentVersion = next.version;
      workflow.name = next.name;
      workflow.description = next.description;
      await em.flush();
      const changed = (['name', 'description', 'graph'] as const).filter((k) => changes[k] !== undefined);
      // The row lock above already orders writers of this workflow, so the stream needs no check of its own.
      await record(
        streamOf(workflow),
        scope.workspaceId,
        [{ type: 'WorkflowVersionSaved', data: { workflowId: workflow.id, version: next.version, changed } }],
        'any',
      );
      return toWorkflowView(workflow, next);
    });
  }

  /** Soft delete: the rows stay (executions may reference its versions), every read answers not_found. */
  async remove(scope: WorkspaceScope, id: string): Promise<DeletedWorkflow> {
    return this.audit.transaction(scope.ctx, async (em, record) => {
      const workflow = await this.findLive(em, scope, id, LockMode.PESSIMISTIC_WRITE);
      workflow.deletedAt = new Date();
      await em.flush();
      await record(
        streamOf(workflow),
        scope.workspaceId,
        [{ type: 'WorkflowDeleted', data: { workflowId: workflow.id } }],
        'any',
      );
      return { id: workflow.id, deleted: true };
    });
  }

  /**
   * One version (the current one when `version` is absent), for an execution to pin. Every call
   * checks in the database that the workflow is live and in this workspace (one column of one row,
   * no entity), so a deleted or foreign workflow answers not_found on every replica at once; only
   * the immutable version row itself comes from the cache. The answer is frozen.
   */
  async getVersion(scope: WorkspaceScope, workflowId: string, version?: number): Promise<VersionView> {
    const current = await this.liveCurrentVersion(scope, workflowId);
    const wanted = version ?? current;
    // Versions are numbered 1..current without gaps, so a higher one cannot exist.
    if (wanted > current) throw new FlowstackError('not_found', `workflow version ${wanted} not found`);
    const cached = this.versions.get(scope.workspaceId, workflowId, wanted);
    if (cached) return cached;
    const found = await this.em.fork().findOne(WorkflowVersion, { workflow: workflowId, version: wanted });
    if (!found) throw new FlowstackError('not_found', `workflow version ${wanted} not found`);
    // Filled from committed reads only, never from a save: a save's transaction can still roll back.
    return this.versions.set(scope.workspaceId, toVersionView(found));
  }

  /**
   * A workflow's saved versions, newest first, `limit` at most, without their graphs (one is read
   * with `getVersion`). Versions are immutable and numbered without gaps, so the version number is
   * a stable keyset cursor: `nextCursor` is the last number of the page, and the next page takes the
   * versions below it, whatever is saved meanwhile. Pages are also byte-budgeted like `list`
   * (descriptions can be long), so one always fits in a bus reply. A foreign or deleted workflow
   * answers `not_found`, like `get`.
   */
  async listVersions(scope: WorkspaceScope, query: WorkflowVersionsListPayload): Promise<Page<WorkflowVersionSummary>> {
    const current = await this.liveCurrentVersion(scope, query.workflowId);
    const below = Math.min(query.cursor ?? current + 1, current + 1);
    // Plain columns, not entities: the graphs (the bulk of a row) are never read for a list.
    const rows = await this.em.execute<VersionSummaryRow[]>(
      `select version, name, description, created_at, created_by from registry.workflow_versions
        where workflow_id = ? and version < ? order by version desc limit ?`,
      [query.workflowId, below, query.limit + 1],
      'all',
    );
    const budget = new PageBudget();
    const items: WorkflowVersionSummary[] = [];
    for (const row of rows.slice(0, query.limit)) {
      const item: WorkflowVersionSummary = {
        version: row.version,
        name: row.name,
        ...(row.description != null ? { description: row.description } : {}),
        createdAt: new Date(row.created_at).toISOString(),
        createdBy: row.created_by,
      };
      if (!budget.admit(Buffer.byteLength(JSON.stringify(item)))) break;
      items.push(item);
    }
    const last = items.at(-1);
    const more = budget.full || rows.length > query.limit;
    return { items, nextCursor: more && last ? String(last.version) : null };
  }

  /** The current version number of a live workflow of this workspace; `not_found` otherwise. */
  private async liveCurrentVersion(scope: WorkspaceScope, id: string): Promise<number> {
    if (!isUuid(id)) throw notFound('workflow');
    const row = (await this.em.execute(
      'select current_version from registry.workflows where id = ? and workspace_id = ? and deleted_at is null',
      [id, scope.workspaceId],
      'get',
    )) as { current_version: number } | undefined;
    if (!row) throw notFound('workflow');
    return row.current_version;
  }

  private async findLive(em: EntityManager, scope: WorkspaceScope, id: string, lockMode?: LockMode): Promise<Workflow> {
    if (!isUuid(id)) throw notFound('workflow');
    const workflow = await em.findOne(
      Workflow,
      { id, workspaceId: scope.workspaceId, deletedAt: null },
      lockMode ? { lockMode } : {},
    );
    if (!workflow) throw notFound('workflow');
    return workflow;
  }

  private async versionOf(em: EntityManager, workflow: Workflow, version: number): Promise<WorkflowVersion> {
    return (await em.findOne(WorkflowVersion, { workflow, version })) ?? missingVersion(workflow, version);
  }
}

/** A workflow row whose current version row is gone: corrupted data, not a caller's mistake. */
function missingVersion(workflow: Workflow, version: number): never {
  throw new Error(`workflow ${workflow.id} has no row for its version ${version}`);
}
