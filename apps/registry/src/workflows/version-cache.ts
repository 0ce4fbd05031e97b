import type { VersionView } from './workflow.views';

/**
 * The most recently read workflow versions, at most `capacity` of them (0 turns caching off).
 * Versions are immutable once saved, so an entry never goes stale; what can change is whether the
 * workflow is still live and whose it is, which the caller checks in the database on every read
 * before asking here. The key includes the workspace all the same, so an entry can only ever answer
 * the workspace it was read in.
 *
 * A Map keeps insertion order: a hit is moved to the end, and the first key is the least recently
 * used one to evict. Entries are deep-frozen so no caller can change what the next one reads.
 */
export class VersionCache {
  private readonly entries = new Map<string, VersionView>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new Error(`cache capacity must be a non-negative integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(workspaceId: string, workflowId: string, version: number): VersionView | undefined {
    const key = keyOf(workspaceId, workflowId, version);
    const found = this.entries.get(key);
    if (found) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  /** Stores `view` (frozen in place) as read in `workspaceId`, and answers it. */
  set(workspaceId: string, view: VersionView): VersionView {
    const frozen = deepFreeze(view);
    if (this.capacity === 0) return frozen;
    const key = keyOf(workspaceId, view.workflowId, view.version);
    this.entries.delete(key);
    this.entries.set(key, frozen);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return frozen;
  }
}

// Ids are UUIDs and versions integers, so the separator cannot occur inside a part.
const keyOf = (workspaceId: string, workflowId: string, version: number): string =>
  `${workspaceId}/${workflowId.toLowerCase()}/${version}`;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
