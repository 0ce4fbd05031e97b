import { FlowstackError } from './errors';
import { parseRequest } from './parse-request';
import { USAGE_DEFAULT_RANGE_MS, usagePeriod, usageQuerySchema } from './usage-schemas';

const pathsOf = (query: Record<string, unknown>): string[] => {
  try {
    parseRequest(usageQuerySchema, query, 'query');
  } catch (e) {
    if (e instanceof FlowstackError) return (e.errors ?? []).map((f) => f.path);
    throw e;
  }
  return [];
};

describe('usage query', () => {
  it('defaults to the last 30 days by day', () => {
    const q = parseRequest(usageQuerySchema, {}, 'query');
    expect(q.groupBy).toBe('day');
    const now = Date.parse('2026-12-01T12:00:00.000Z');
    expect(usagePeriod(q, now)).toEqual({
      from: new Date(now - USAGE_DEFAULT_RANGE_MS).toISOString(),
      to: '2026-12-01T12:00:00.000Z',
    });
    expect(usagePeriod({ from: '2026-11-01T00:00:00+01:00', to: '2026-11-02T00:00:00Z' })).toEqual({
      from: '2026-10-31T23:00:00.000Z',
      to: '2026-11-02T00:00:00.000Z',
    });
  });

  it('refuses a bad grouping, date, order, length or parameter at its field', () => {
    expect(pathsOf({ groupBy: 'week' })).toEqual(['query.groupBy']);
    expect(pathsOf({ from: '2026-11-01' })).toEqual(['query.from']);
    expect(pathsOf({ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' })).toEqual(['query.to']);
    expect(pathsOf({ from: '2025-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' })).toEqual(['query.to']);
    expect(pathsOf({ from: '2099-01-01T00:00:00Z' })).toEqual(['query.from']);
    expect(pathsOf({ limit: '5' })).toEqual(['query']);
    expect(pathsOf({ from: '2026-11-01T00:00:00Z', to: '2026-11-01T00:00:00Z', groupBy: 'agent' })).toEqual([]);
  });
});
