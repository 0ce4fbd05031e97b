import { z } from 'zod';
import { fieldPath, parseRequest } from './parse-request';

describe('fieldPath', () => {
  it('writes array indexes in brackets and keys with dots', () => {
    expect(fieldPath(['graph', 'nodes', 0, 'id'])).toBe('graph.nodes[0].id');
    expect(fieldPath(['edges', 3])).toBe('edges[3]');
    expect(fieldPath([])).toBe('');
  });
});

describe('parseRequest', () => {
  const schema = z.object({ name: z.string().min(1), tags: z.array(z.string()) });

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
});
