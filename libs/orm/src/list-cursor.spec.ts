import { decodeCursor, encodeCursor } from './list-cursor';

describe('list cursor', () => {
  it('round-trips a position with millisecond precision', () => {
    const position = { createdAt: new Date('2026-03-04T05:06:07.089Z'), id: '0b6c3a4e-6f0e-4a57-9d43-3e1f2a9b8c7d' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 json', 'bm9wZQ'],
    ['a json object', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad date', Buffer.from('["yesterday","0b6c3a4e-6f0e-4a57-9d43-3e1f2a9b8c7d"]').toString('base64url')],
    ['a bad id', Buffer.from(`["${new Date().toISOString()}","1; drop table"]`).toString('base64url')],
  ])('refuses %s as validation_failed on the cursor path', (_what, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'cursor' })] }),
    );
  });
});
