import { webRouteOf } from './web-route';

const html = 'text/html,application/xhtml+xml,*/*;q=0.8';

describe('webRouteOf', () => {
  it.each([
    ['/', { kind: 'index' }],
    ['/index.html', { kind: 'index' }],
    ['/workflows/wf_1/design', { kind: 'index' }],
    ['/assets/index-abc123.js', { kind: 'file', path: 'assets/index-abc123.js', immutable: true }],
    ['/favicon.svg', { kind: 'file', path: 'favicon.svg', immutable: false }],
  ])('serves %s', (path, route) => {
    expect(webRouteOf('GET', path, html)).toEqual(route);
  });

  it.each([
    '/api',
    '/api/v1/nope',
    '/api/docs',
    '/api/docs/openapi.json',
    '/ws/executions/x',
    '/metrics',
    '/health',
    '/health/x',
  ])('leaves %s to the API', (path) => {
    expect(webRouteOf('GET', path, html)).toEqual({ kind: 'none' });
  });

  it('leaves an encoded reserved path to the API too', () => {
    expect(webRouteOf('GET', '/%61pi/v1/nope', html)).toEqual({ kind: 'none' });
    expect(webRouteOf('GET', '//api/v1/nope', html)).toEqual({ kind: 'none' });
  });

  it('answers only GET and HEAD', () => {
    expect(webRouteOf('HEAD', '/', html)).toEqual({ kind: 'index' });
    expect(webRouteOf('POST', '/', html)).toEqual({ kind: 'none' });
    expect(webRouteOf('DELETE', '/workflows', html)).toEqual({ kind: 'none' });
  });

  it('never climbs out of the build or serves dotfiles', () => {
    expect(webRouteOf('GET', '/assets/../../package.json', html)).toEqual({
      kind: 'file',
      path: 'package.json',
      immutable: false,
    });
    expect(webRouteOf('GET', '/%2e%2e/%2e%2e/etc/ssl.conf', html)).toEqual({
      kind: 'file',
      path: 'etc/ssl.conf',
      immutable: false,
    });
    expect(webRouteOf('GET', '/.env', html)).toEqual({ kind: 'none' });
    expect(webRouteOf('GET', '/a%00b', html)).toEqual({ kind: 'none' });
    expect(webRouteOf('GET', '/a%5c..%5cb', html)).toEqual({ kind: 'none' });
    expect(webRouteOf('GET', '/%E0%A4%A', html)).toEqual({ kind: 'none' });
  });

  it('sends index.html for client routes only to a browser asking for HTML', () => {
    expect(webRouteOf('GET', '/workflows', 'application/json')).toEqual({ kind: 'none' });
    expect(webRouteOf('GET', '/workflows', undefined)).toEqual({ kind: 'index' });
  });
});
