import { tokenOfFragment } from './sso-fragment';

describe('the SSO token in the URL fragment', () => {
  it('reads #token=<jwt>', () => {
    expect(tokenOfFragment('#token=a.b.c')).toBe('a.b.c');
    expect(tokenOfFragment('#token=a%2Eb')).toBe('a.b');
  });

  it('ignores other fragments, malformed escapes and oversized values instead of throwing', () => {
    expect(tokenOfFragment('')).toBeUndefined();
    expect(tokenOfFragment('#other=1')).toBeUndefined();
    expect(tokenOfFragment('#token=')).toBeUndefined();
    expect(tokenOfFragment('#token=%E0%A4%A')).toBeUndefined();
    expect(tokenOfFragment(`#token=${'x'.repeat(10_000)}`)).toBeUndefined();
  });
});
