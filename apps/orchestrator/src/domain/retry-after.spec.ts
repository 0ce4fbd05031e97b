import { DEFAULT_RETRY_POLICY } from '@flowstack/contracts';
import { retryPlan } from './retry.policy';

const policy = { ...DEFAULT_RETRY_POLICY, initialIntervalMs: 100, maxIntervalMs: 10_000 };
const NOW = '2026-01-01T00:00:00.000Z';
const rateLimited = (retryAfter?: unknown) => ({
  code: 'rate_limited',
  message: '429',
  retryable: true,
  details: { provider: 'openai', status: 429, retryAfter },
});

describe('retryPlan honours a retryAfter the failure carries', () => {
  it('waits the retry-after when it is longer than the backoff', () => {
    expect(retryPlan(policy, 'ask', 1, rateLimited(3), NOW, 0)).toMatchObject({
      attempt: 2,
      delayMs: 3_000,
      dueAt: '2026-01-01T00:00:03.000Z',
    });
  });

  it('keeps the backoff when it is longer, and caps the retry-after at maxIntervalMs', () => {
    expect(retryPlan({ ...policy, initialIntervalMs: 5_000 }, 'ask', 1, rateLimited(1), NOW, 0)?.delayMs).toBe(5_000);
    expect(retryPlan(policy, 'ask', 1, rateLimited(3_600), NOW, 0)?.delayMs).toBe(10_000);
  });

  it('ignores a missing or nonsensical retryAfter', () => {
    for (const value of [undefined, -1, 'soon', Number.NaN]) {
      expect(retryPlan(policy, 'ask', 1, rateLimited(value), NOW, 0)?.delayMs).toBe(100);
    }
  });
});
