import { NodeFailure } from '../work/node-failure';
import { redactSecrets, redactValue, referencedSecrets, withSecrets, type SecretSource } from './secret-resolver';

describe('referencedSecrets', () => {
  it('finds secrets.<name> and secrets["<name>"] anywhere in a value, and nothing else', () => {
    const names = referencedSecrets({
      A: '{{ secrets.gh_token }}',
      B: ['Bearer {{ secrets["api_key"] }}', { deep: "{{ secrets['other'] & secrets.gh_token }}" }],
      C: 'no secrets here, mysecrets.x is not one',
    });
    expect([...names].sort()).toEqual(['api_key', 'gh_token', 'other']);
    expect([...referencedSecrets('{{ args.secrets }} {{ args.secrets.x }}')]).toEqual([]);
  });
});

describe('redactSecrets', () => {
  it('replaces each value of four characters or more by ***', () => {
    expect(redactSecrets('token=abcd1234 and abcd1234 again, x', { t: 'abcd1234', short: 'x' })).toBe(
      'token=*** and *** again, x',
    );
  });
});

describe('withSecrets', () => {
  const source: SecretSource = {
    resolve: (_ws, names) => Promise.resolve(Object.fromEntries([...names].map((n) => [n, `value-of-${n}`]))),
  };

  it('hands the referenced secrets to the work and redacts them in what it answers', async () => {
    const out = await withSecrets(source, { h: '{{ secrets.tok }}' }, 'ws', 'c', (secrets) =>
      Promise.resolve({ echoed: secrets.tok, [`k-${secrets.tok}`]: [secrets.tok, 1] }),
    );
    expect(out).toEqual({ echoed: '***', 'k-***': ['***', 1] });
  });

  it('redacts a failure: message and details of a NodeFailure, the message of any error', async () => {
    const fail = withSecrets(source, '{{ secrets.tok }}', 'ws', 'c', (s) =>
      Promise.reject(new NodeFailure('http_status', `bad ${s.tok}`, true, { body: s.tok })),
    );
    await expect(fail).rejects.toMatchObject({
      code: 'http_status',
      message: 'bad ***',
      retryable: true,
      details: { body: '***' },
    });
    const other = withSecrets(source, '{{ secrets.tok }}', 'ws', 'c', (s) => Promise.reject(new TypeError(`x ${s.tok}`)));
    await expect(other).rejects.toThrow(new TypeError('x ***'));
  });

  it('runs a config without references with no vault, and refuses one with references', async () => {
    await expect(withSecrets(undefined, { a: 1 }, 'ws', 'c', () => Promise.resolve('ok'))).resolves.toBe('ok');
    await expect(withSecrets(undefined, '{{ secrets.x }}', 'ws', 'c', () => Promise.resolve('ok'))).rejects.toMatchObject({
      code: 'vault_unavailable',
    });
    expect(redactValue({ a: 'abcd' }, {})).toEqual({ a: 'abcd' });
  });
});
