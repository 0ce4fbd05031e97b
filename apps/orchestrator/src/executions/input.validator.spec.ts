import { FlowstackError } from '@flowstack/contracts';
import { InputValidator } from './input.validator';

const rejection = (run: () => void): FlowstackError => {
  try {
    run();
  } catch (error) {
    if (error instanceof FlowstackError) return error;
    throw error;
  }
  throw new Error('expected the input to be refused');
};

describe('InputValidator (issue 7 rows 8 and 9)', () => {
  it('compiles the same $id in two workspaces, and in the next version of one, each in its own scope', () => {
    const validator = new InputValidator();
    const orderV1 = { $id: 'https://example.com/order', type: 'object', required: ['sku'] };
    const orderOther = { $id: 'https://example.com/order', type: 'object', required: ['qty'] };
    const orderV2 = { $id: 'https://example.com/order', type: 'object', required: ['sku', 'qty'] };
    validator.assertValid({ workspaceId: 'ws_a', workflowId: 'wf_a', version: 1 }, orderV1, { sku: 'x' });
    validator.assertValid({ workspaceId: 'ws_b', workflowId: 'wf_b', version: 1 }, orderOther, { qty: 1 });
    validator.assertValid({ workspaceId: 'ws_a', workflowId: 'wf_a', version: 2 }, orderV2, { sku: 'x', qty: 1 });
    // Each scope keeps its own schema: B's rule never leaks into A's.
    const refused = rejection(() =>
      validator.assertValid({ workspaceId: 'ws_a', workflowId: 'wf_a', version: 2 }, orderV2, { sku: 'x' }),
    );
    expect(refused).toMatchObject({ code: 'validation_failed', errors: [{ path: 'input.qty', rule: 'required' }] });
  });

  it('validates 2020-12 schemas with the 2020-12 dialect', () => {
    const validator = new InputValidator();
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false } },
      dependentRequired: { pair: ['label'] },
    };
    const scope = { workspaceId: 'ws', workflowId: 'wf', version: 1 };
    validator.assertValid(scope, schema, { pair: ['a', 1], label: 'x' });
    const refused = rejection(() => validator.assertValid(scope, schema, { pair: [1, 'a', 3] }));
    expect(refused.code).toBe('validation_failed');
    expect((refused.errors ?? []).map((d) => d.rule).sort()).toEqual(['dependentRequired', 'items', 'type', 'type'].sort());
  });

  it('refuses a ReDoS input in linear time: pattern ^(a+)+$ with 34 "a"s and "!"', () => {
    const validator = new InputValidator();
    const schema = { type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } };
    const refused = rejection(() =>
      validator.assertValid({ workspaceId: 'ws', workflowId: 'wf', version: 1 }, schema, { name: `${'a'.repeat(34)}!` }),
    );
    expect(refused).toMatchObject({ code: 'validation_failed', errors: [{ path: 'input.name', rule: 'pattern' }] });
  }, 10_000);

  it('a stored schema that cannot compile is invalid_graph, not a 500', () => {
    const validator = new InputValidator();
    const schema = { type: 'string', pattern: '^(a)\\1$' };
    const refused = rejection(() => validator.assertValid({ workspaceId: 'ws', workflowId: 'wf', version: 1 }, schema, 'aa'));
    expect(refused.code).toBe('invalid_graph');
  });

  it('keeps at most its capacity of compiled scopes', () => {
    const validator = new InputValidator(2);
    const schema = { type: 'object' };
    for (let version = 1; version <= 5; version++) {
      validator.assertValid({ workspaceId: 'ws', workflowId: 'wf', version }, schema, {});
    }
    expect((validator as unknown as { compiled: { size: number } }).compiled.size).toBe(2);
  });
});
