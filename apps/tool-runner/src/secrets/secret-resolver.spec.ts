import { redactSecrets, referencedSecrets } from './secret-resolver';

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
