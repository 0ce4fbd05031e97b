import type { ExecutionEvent, ExecutionStatus } from '@flowstack/contracts';

/**
 * One row of `execution_history` as the projection folds it (times as Postgres or ISO text,
 * written back as they are).
 */
export interface HistoryRow {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  status: ExecutionStatus;
  triggerType: string;
  triggerBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  totalCost: number;
  errorCode: string | null;
  parentId: string | null;
  deletedAt: string | null;
  deletedBy: string | null;
}

/** An execution event that changes history rows, with the execution and workspace it belongs to. */
export interface HistoryChange {
  executionId: string;
  workspaceId: string;
  event: ExecutionEvent;
}

/** Terminal statuses are never left by a later event of these kinds (only a retry leaves `failed`). */
const isActive = (row: HistoryRow): boolean =>
  row.status === 'pending' || row.status === 'running' || row.status === 'awaiting_approval';

/** True when `event` can change a history row: the projection selects only these. */
export function changesHistory(event: ExecutionEvent): boolean {
  switch (event.type) {
    case 'ExecutionStarted':
    case 'ApprovalRequested':
    case 'ApprovalDecided':
    case 'ExecutionCompleted':
    case 'ExecutionFailed':
    case 'ExecutionCancelled':
    case 'ExecutionRetried':
    case 'ExecutionDeleted':
      return true;
    case 'NodeCompleted':
      return Boolean(event.data.cost);
    default:
      return false;
  }
}

/**
 * The row after `change` (null: still no row). Returns `row` itself when nothing changes, so the
 * caller writes only rows that did. A run queued for a slot is already listed as `pending` (the
 * admission table inserts it): its `ExecutionStarted` starts it.
 */
export function evolveHistoryRow(row: HistoryRow | null, change: HistoryChange): HistoryRow | null {
  const { event } = change;
  if (event.type === 'ExecutionStarted') {
    const d = event.data;
    if (row === null) {
      return {
        id: change.executionId,
        workspaceId: change.workspaceId,
        workflowId: d.workflowId,
        workflowVersion: d.workflowVersion,
        status: 'running',
        triggerType: d.trigger.type,
        triggerBy: d.trigger.by ?? null,
        startedAt: d.startedAt,
        finishedAt: null,
        durationMs: null,
        totalCost: 0,
        errorCode: null,
        parentId: d.parentId ?? null,
        deletedAt: null,
        deletedBy: null,
      };
    }
    return row.status === 'pending' ? { ...row, status: 'running', startedAt: d.startedAt } : row;
  }
  // Every other event updates a row that exists.
  if (row === null) return null;
  switch (event.type) {
    case 'ApprovalRequested':
      return isActive(row) ? { ...row, status: 'awaiting_approval' } : row;
    case 'ApprovalDecided':
      return isActive(row) ? { ...row, status: 'running' } : row;
    case 'NodeCompleted':
      return event.data.cost && isActive(row) ? { ...row, totalCost: row.totalCost + event.data.cost } : row;
    case 'ExecutionCompleted':
      return ended(row, 'completed', event.data.completedAt, event.data, null);
    case 'ExecutionFailed':
      return ended(row, 'failed', event.data.failedAt, event.data, event.data.error.code);
    case 'ExecutionCancelled':
      return ended(row, 'cancelled', event.data.cancelledAt, event.data, null);
    case 'ExecutionRetried':
      // A retried run is running again: its previous end no longer stands (the next end sets it anew).
      return row.status === 'failed' ? { ...row, status: 'running', finishedAt: null, durationMs: null, errorCode: null } : row;
    case 'ExecutionDeleted':
      return row.deletedAt === null ? { ...row, deletedAt: event.data.deletedAt, deletedBy: event.data.by } : row;
    default:
      return row;
  }
}

const ended = (
  row: HistoryRow,
  status: ExecutionStatus,
  finishedAt: string,
  end: { durationMs: number; totalCost: number },
  errorCode: string | null,
): HistoryRow => ({ ...row, status, finishedAt, durationMs: Math.round(end.durationMs), totalCost: end.totalCost, errorCode });
