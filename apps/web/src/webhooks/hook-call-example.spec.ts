import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { EXAMPLE_BODY, hookCallExample } from './hook-call-example';

/** Runs an example in bash with `curl` replaced by a function that prints its arguments, one a line. */
const argsOfCurl = (script: string): string[] => {
  const run = spawnSync('bash', ['-c', `curl() { printf '%s\\n' "$@"; }\n${script}`], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  return run.stdout.trimEnd().split('\n');
};
const header = (args: string[], name: string): string | undefined =>
  args
    .filter((_, i) => args[i - 1] === '-H')
    .find((h) => h.startsWith(`${name}: `))
    ?.slice(name.length + 2);

describe('the curl example shown with a new webhook', () => {
  it('signs "<unix seconds>.<body>" with HMAC-SHA256 as the server checks it (hmac)', () => {
    const secret = 'whsec_abc-DEF_123';
    const args = argsOfCurl(hookCallExample({ url: 'http://127.0.0.1:3000/hooks/h1', auth: 'hmac', secret }));
    expect(args.slice(0, 3)).toEqual(['-X', 'POST', 'http://127.0.0.1:3000/hooks/h1']);
    expect(args[args.indexOf('-d') + 1]).toBe(EXAMPLE_BODY);
    const ts = header(args, 'x-flowstack-timestamp')!;
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    const expected = createHmac('sha256', secret).update(`${ts}.${EXAMPLE_BODY}`).digest('hex');
    expect(header(args, 'x-flowstack-signature')).toBe(`v1=${expected}`);
    expect(header(args, 'x-flowstack-token')).toBeUndefined();
  });

  it('sends the secret as X-Flowstack-Token, unsigned (token)', () => {
    const args = argsOfCurl(hookCallExample({ url: 'http://h/hooks/h2', auth: 'token', secret: 'whtok_xyz' }));
    expect(header(args, 'x-flowstack-token')).toBe('whtok_xyz');
    expect(header(args, 'x-flowstack-signature')).toBeUndefined();
    expect(header(args, 'content-type')).toBe('application/json');
  });

  it('keeps a value with quotes and dollars intact (shell quoting)', () => {
    const args = argsOfCurl(hookCallExample({ url: "http://h/hooks/it's$HOME", auth: 'token', secret: `a'b"$c` }));
    expect(args[2]).toBe("http://h/hooks/it's$HOME");
    expect(header(args, 'x-flowstack-token')).toBe(`a'b"$c`);
  });
});
