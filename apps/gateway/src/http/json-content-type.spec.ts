import { assertJsonBody, carriesBody, isJsonContentType } from './json-content-type';

describe('JSON content types', () => {
  it.each(['application/json', 'Application/JSON; charset=utf-8', 'application/merge-patch+json', 'application/vnd.api+json'])(
    'accepts %s',
    (type) => expect(isJsonContentType(type)).toBe(true),
  );

  it.each([
    undefined,
    '',
    'text/plain',
    'text/json-ish',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonp',
  ])('refuses %s', (type) => expect(isJsonContentType(type)).toBe(false));

  it('tells requests with a body from those without', () => {
    expect(carriesBody({ 'content-length': '12' })).toBe(true);
    expect(carriesBody({ 'transfer-encoding': 'chunked' })).toBe(true);
    expect(carriesBody({ 'content-length': '0' })).toBe(false);
    expect(carriesBody({})).toBe(false);
  });

  it('answers a non-JSON body with unsupported_media_type and lets bodiless requests pass', () => {
    expect(() => assertJsonBody({ 'content-length': '2', 'content-type': 'text/plain' })).toThrow(
      expect.objectContaining({ code: 'unsupported_media_type' }),
    );
    expect(() => assertJsonBody({ 'content-length': '2' })).toThrow(expect.objectContaining({ code: 'unsupported_media_type' }));
    expect(() => assertJsonBody({ 'content-length': '2', 'content-type': 'application/json' })).not.toThrow();
    expect(() => assertJsonBody({ 'content-length': '0', 'content-type': 'text/plain' })).not.toThrow();
  });
});
