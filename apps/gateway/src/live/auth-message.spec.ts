import { parseAuthMessage } from './auth-message';

describe('parseAuthMessage', () => {
  it('reads the token and the optional workspace from text and binary frames', () => {
    expect(parseAuthMessage('{"type":"auth","token":"t1"}')).toEqual({ token: 't1' });
    expect(parseAuthMessage(Buffer.from('{"type":"auth","token":"t1","workspaceId":"w1"}'))).toEqual({
      token: 't1',
      workspaceId: 'w1',
    });
    expect(parseAuthMessage([Buffer.from('{"type":"auth",'), Buffer.from('"token":"t2"}')])).toEqual({ token: 't2' });
  });

  it.each(['not json', '"a string"', '[1,2]', 'null', '42'])('answers validation_failed for %s', (text) => {
    expect(() => parseAuthMessage(text)).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it.each(['{}', '{"type":"hello","token":"t"}', '{"type":"auth"}', '{"type":"auth","token":""}', '{"type":"auth","token":7}'])(
    'answers unauthenticated for %s',
    (text) => {
      expect(() => parseAuthMessage(text)).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
    },
  );

  it('answers validation_failed for a workspaceId that is not a string', () => {
    expect(() => parseAuthMessage('{"type":"auth","token":"t","workspaceId":5}')).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
  });
});
