import { z } from 'zod';
import { FlowstackError } from './errors';
import { fieldPath, parseRequest } from './parse-request';

describe('fieldPath', () => {
  it('writes array indexes in brackets and keys with dots', () => {
    expect(fieldPath(['graph', 'nodes', 0, 'id'])).toBe('graph.nodes[0].id');
    expect(fieldPath(['edges', 3])).toBe('edges[3]');
    expect(fieldPath([])).toBe('');
  });

  it('starts the path at the prefix', () => {
    expect(fieldPath(['limit'], 'query')).toBe('query.limit');
    expect(fieldPath([0, 'id'], 'nodes')).toBe('nodes[0].id');
    expect(fieldPath([], 'query')).toBe('query');
  });
});

describe('parseRequest', () => {
  const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()) });

  const failureOf = (run: () => unknown): FlowstackError => {
    try {
      run();
    } catch (e) {
      if (e instanceof FlowstackError) return e;
      throw e;
    }
    throw new Error('expected parseRequest to throw');
  };

  it('returns the typed output when the body is valid', () => {
    expect(parseRequest(schema, { name: 'a', tags: ['x'], extra: true })).toEqual({ name: 'a', tags: ['x'] });
  });

  it('throws validation_failed with one error per violation, each with its path', () => {
    expect(() => parseRequest(schema, { name: '', tags: ['ok', 7] })).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        errors: [
          expect.objectContaining({ path: 'name', rule: 'too_small' }),
          expect.objectContaining({ path: 'tags[1]', rule: 'invalid_type' }),
        ],
      }),
    );
  });

  it('lists every violation with its path in the message', () => {
    const error = failureOf(() => parseRequest(schema, { name: '', tags: ['ok', 7] }));
    const [name, tag] = error.errors ?? [];
    expect(error.message).toBe(`request is invalid: name ${name.message}; tags[1] ${tag.message}`);
    expect(error.retryable).toBe(false);
  });

  it('puts the prefix in front of every path', () => {
    const error = failureOf(() => parseRequest(schema, { name: '', tags: [7] }, 'query'));
    expect(error.errors?.map((e) => e.path)).toEqual(['query.name', 'query.tags[0]']);
    expect(error.message).toMatch(/^request is invalid: query\.name .+; query\.tags\[0\] /);
  });

  it('reports a violation of the whole value at (body), or at the prefix when there is one', () => {
    expect(failureOf(() => parseRequest(schema, 'not an object')).errors).toEqual([
      expect.objectContaining({ path: '(body)', rule: 'invalid_type' }),
    ]);
    expect(failureOf(() => parseRequest(schema, 'not an object', 'query')).errors).toEqual([
      expect.objectContaining({ path: 'query', rule: 'invalid_type' }),
    ]);
  });

  it('reads a missing body as an empty object', () => {
    expect(parseRequest(z.object({ limit: z.number().optional() }), undefined)).toEqual({});
    expect(failureOf(() => parseRequest(schema, null)).errors?.map((e) => e.path)).toEqual(['name', 'tags']);
  });
});
