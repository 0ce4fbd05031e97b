import type { GraphNode } from '@flowstack/contracts';
import { graphAround } from './graph.fixtures';
import { validateGraph } from './graph.validator';

/** An inline http tool at `nodes[1]` of `input -> call -> output`, and the errors of its graph. */
const errorsForUrl = (url: string): ReturnType<typeof validateGraph> =>
  validateGraph(graphAround({ id: 'call', type: 'tool', config: { tool: { kind: 'http', url } } } satisfies GraphNode));

describe('http tool url scheme at save', () => {
  it.each([
    'file:///etc/passwd',
    'FILE:///etc/passwd',
    'file://{{ input.path }}',
    'ftp://files.example.com/{{ input.name }}',
    'gopher://127.0.0.1:70/_x',
    'data:text/plain,hello',
    'javascript:alert(1)',
    'ws://example.com/socket',
    ' \tfile:///etc/passwd',
    'fi\tle:///etc/passwd',
  ])('refuses %j with a field path naming the node', (url) => {
    expect(errorsForUrl(url)).toEqual([
      {
        path: 'nodes[1].config.tool.url',
        rule: 'invalid_node_config',
        nodeId: 'call',
        message: expect.stringMatching(/^tool node "call": config\.tool\.url must be an http: or https: URL, not [a-z]+:$/),
      },
    ]);
  });

  it.each([
    'http://example.com/x',
    'HTTPS://example.com/x',
    'https://{{ input.host }}/x',
    '{{ input.baseUrl }}/items',
    '{{ input.scheme }}://example.com',
    'ht{{ input.rest }}',
    '\\{{ not a template }}',
  ])('accepts %j: http(s), or a scheme that only an expression decides', (url) => {
    expect(errorsForUrl(url)).toEqual([]);
  });

  it('leaves a url template that does not parse to the template check', () => {
    expect(errorsForUrl('file://{{ input.path').map((e) => e.path)).toEqual(['nodes[1].config.tool.url']);
    expect(errorsForUrl('file://{{ input.path')[0].message).toMatch(/template/);
  });
});
