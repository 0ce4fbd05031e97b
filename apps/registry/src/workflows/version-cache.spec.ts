import { randomUUID } from 'node:crypto';
import type { VersionView } from './workflow.views';
import { VersionCache } from './version-cache';

const workspaceA = randomUUID();
const workspaceB = randomUUID();

const versionOf = (workflowId: string, version = 1): VersionView => ({
  workflowId,
  version,
  name: `v${version}`,
  graph: { entry_point: 'start', nodes: [{ id: 'start', type: 'input', config: {} }], edges: [] },
  createdAt: '2026-01-02T03:04:05.678Z',
  createdBy: 'user-1',
});

describe('VersionCache', () => {
  it('misses until a version is stored, then answers it for the same workspace, workflow and number', () => {
    const cache = new VersionCache(10);
    const wf = randomUUID();
    expect(cache.get(workspaceA, wf, 1)).toBeUndefined();
    cache.set(workspaceA, versionOf(wf, 1));
    expect(cache.get(workspaceA, wf, 1)).toEqual(versionOf(wf, 1));
    expect(cache.get(workspaceA, wf, 2)).toBeUndefined();
    expect(cache.get(workspaceA, randomUUID(), 1)).toBeUndefined();
  });

  it('answers an entry only to the workspace it was read in', () => {
    const cache = new VersionCache(10);
    const wf = randomUUID();
    cache.set(workspaceA, versionOf(wf));
    expect(cache.get(workspaceB, wf, 1)).toBeUndefined();
    expect(cache.get(workspaceA, wf, 1)).toBeDefined();
  });

  it('finds a workflow id whatever its letter case, as Postgres compares uuids', () => {
    const cache = new VersionCache(10);
    const wf = randomUUID();
    cache.set(workspaceA, versionOf(wf));
    expect(cache.get(workspaceA, wf.toUpperCase(), 1)).toEqual(versionOf(wf));
  });

  it('keeps at most `capacity` entries, evicting the least recently used', () => {
    const cache = new VersionCache(3);
    const [w1, w2, w3, w4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    cache.set(workspaceA, versionOf(w1));
    cache.set(workspaceA, versionOf(w2));
    cache.set(workspaceA, versionOf(w3));
    cache.get(workspaceA, w1, 1); // w1 is now the most recently used, w2 the least
    cache.set(workspaceA, versionOf(w4));

    expect(cache.size).toBe(3);
    expect(cache.get(workspaceA, w2, 1)).toBeUndefined();
    for (const wf of [w1, w3, w4]) expect(cache.get(workspaceA, wf, 1)).toBeDefined();
  });

  it('stays bounded under many distinct versions and counts a re-stored key once', () => {
    const cache = new VersionCache(100);
    const wf = randomUUID();
    for (let v = 1; v <= 1000; v++) cache.set(workspaceA, versionOf(wf, v));
    cache.set(workspaceA, versionOf(wf, 1000));
    expect(cache.size).toBe(100);
    expect(cache.get(workspaceA, wf, 900)).toBeUndefined();
    expect(cache.get(workspaceA, wf, 901)).toBeDefined();
  });

  it('freezes what it stores, graph included, so no caller can change the next answer', () => {
    const cache = new VersionCache(10);
    const wf = randomUUID();
    const stored = cache.set(workspaceA, versionOf(wf));
    expect(() => {
      (stored as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(() => stored.graph.nodes.push({ id: 'x', type: 'output', config: {} })).toThrow(TypeError);
    expect(cache.get(workspaceA, wf, 1)).toEqual(versionOf(wf));
  });

  it('stores nothing at capacity 0 and refuses a negative capacity', () => {
    const cache = new VersionCache(0);
    const wf = randomUUID();
    expect(cache.set(workspaceA, versionOf(wf))).toEqual(versionOf(wf));
    expect(cache.get(workspaceA, wf, 1)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(() => new VersionCache(-1)).toThrow(/non-negative/);
  });
});
