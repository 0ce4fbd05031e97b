import { MAX_CORRELATION_ID_LENGTH, correlationIdOf, isValidCorrelationId, requestIdsOf } from './correlation-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('correlation ids', () => {
  it.each(['abc-123', 'req_1.2:3', 'a'.repeat(MAX_CORRELATION_ID_LENGTH), '0b1c2d3e-aaaa-4bbb-8ccc-0123456789ab'])(
    'keeps the valid id %s',
    (id) => {
      expect(isValidCorrelationId(id)).toBe(true);
      expect(correlationIdOf(id)).toBe(id);
    },
  );

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['a header break', 'abc\r\nSet-Cookie: x=1'],
    ['spaces', 'a b'],
    ['quotes', '"x"'],
    ['non-ASCII letters', 'ïd'],
    ['an overlong id', 'a'.repeat(MAX_CORRELATION_ID_LENGTH + 1)],
    ['an empty id', ''],
  ])('replaces %s with a fresh UUID', (_what, id) => {
    expect(isValidCorrelationId(id)).toBe(false);
    const replaced = correlationIdOf(id);
    expect(replaced).toMatch(UUID);
    expect(replaced).not.toBe(id);
  });

  it('replaces a missing or repeated header with a fresh UUID each time', () => {
    expect(correlationIdOf(undefined)).toMatch(UUID);
    expect(correlationIdOf(['a', 'b'])).toMatch(UUID);
    expect(correlationIdOf(undefined)).not.toBe(correlationIdOf(undefined));
  });
});

describe('requestIdsOf', () => {
  const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  it('keeps a valid X-Request-Id and uses it as the correlation id when none is sent', () => {
    expect(requestIdsOf({ 'x-request-id': 'req-1' })).toEqual({ requestId: 'req-1', correlationId: 'req-1' });
  });

  it('prefers a valid X-Correlation-Id for the correlation id', () => {
    expect(requestIdsOf({ 'x-request-id': 'req-1', 'x-correlation-id': 'corr-1' })).toEqual({
      requestId: 'req-1',
      correlationId: 'corr-1',
    });
  });

  it('replaces invalid or repeated ids with one fresh UUID for both', () => {
    for (const headers of [{}, { 'x-request-id': '<b>' }, { 'x-request-id': ['a', 'b'] }, { 'x-correlation-id': 'two words' }]) {
      const ids = requestIdsOf(headers);
      expect(ids.requestId).toMatch(UUID_RE);
      expect(ids.correlationId).toBe(ids.requestId);
    }
  });
});
