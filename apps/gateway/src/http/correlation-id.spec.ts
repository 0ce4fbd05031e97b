import { MAX_CORRELATION_ID_LENGTH, correlationIdOf, isValidCorrelationId } from './correlation-id';

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
