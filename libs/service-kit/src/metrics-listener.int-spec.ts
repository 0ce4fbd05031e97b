import { request as httpRequest } from 'node:http';
import { createServer, type Server } from 'node:net';
import { Counter, Registry } from 'prom-client';
import { FlowstackError } from '@flowstack/contracts';
import { startMetricsListener, type MetricsListener } from './metrics-listener';
import { instrumentProcess, metricsRegistry } from './metrics-registry';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request on a fresh connection. */
const call = (port: number, path: string, method = 'GET'): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

const holdPort = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });

/** The metrics listener of services without HTTP, on a real socket. */
describe('startMetricsListener', () => {
  let listener: MetricsListener;
  const counter = new Counter({
    name: 'flowstack_spec_events_total',
    help: 'spec',
    labelNames: ['kind'],
    registers: [metricsRegistry],
  });

  beforeAll(async () => {
    instrumentProcess('spec');
    listener = await startMetricsListener({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await listener?.close();
  });

  it('serves GET /metrics in Prometheus text format with the service label and Node default metrics', async () => {
    counter.inc({ kind: 'seen' }, 2);
    const res = await call(listener.port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE flowstack_spec_events_total counter');
    expect(res.body).toMatch(/^flowstack_spec_events_total\{kind="seen",service="spec"\} 2$/m);
    expect(res.body).toMatch(/^flowstack_process_cpu_user_seconds_total\{service="spec"\} [\d.e+-]+$/m);
    expect(res.body).toMatch(/^flowstack_nodejs_eventloop_lag_seconds\{service="spec"\} /m);
    expect((await call(listener.port, '/metrics?x=1')).status).toBe(200);
  });

  it('answers 404 on every other path and 405 for another method on /metrics', async () => {
    for (const path of ['/', '/metrics/', '/metricsx', '/api/v1/health', '/favicon.ico']) {
      const res = await call(listener.port, path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
      expect(res.body).not.toContain('flowstack_');
    }
    const post = await call(listener.port, '/metrics', 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  it('answers 500 without dying when a collector throws, and serves again after', async () => {
    const registry = new Registry();
    let broken = true;
    new Counter({
      name: 'flowstack_spec_broken_total',
      help: 'spec',
      registers: [registry],
      collect() {
        if (broken) throw new Error('collector broke');
      },
    });
    const own = await startMetricsListener({ port: 0, host: '127.0.0.1', registry });
    try {
      const failed = await call(own.port, '/metrics');
      expect(failed.status).toBe(500);
      expect(failed.body).toContain('collector broke');
      broken = false;
      expect((await call(own.port, '/metrics')).body).toContain('flowstack_spec_broken_total 0');
    } finally {
      await own.close();
    }
  });

  it('refuses a port in use with one line naming METRICS_PORT', async () => {
    const taken = await holdPort();
    const { port } = taken.address() as { port: number };
    try {
      const error = await startMetricsListener({ port, host: '127.0.0.1' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FlowstackError);
      expect((error as FlowstackError).message).toBe(
        `METRICS_PORT ${port} is already in use on 127.0.0.1: stop what holds it, choose another METRICS_PORT, or set 0 to turn metrics off`,
      );
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });

  it('refuses a METRICS_HOST that is no address of this machine', async () => {
    await expect(startMetricsListener({ port: 0, host: '192.0.2.1' })).rejects.toThrow(
      'METRICS_HOST 192.0.2.1 is not an address of this machine',
    );
  });

  it('closes: the port is free again, even with a scraper connection kept alive', async () => {
    const own = await startMetricsListener({ port: 0, host: '127.0.0.1' });
    const keepAlive = new (await import('node:http')).Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: own.port, path: '/metrics', agent: keepAlive }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await own.close();
    await expect(call(own.port, '/metrics')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    keepAlive.destroy();
    // And the port can be taken again at once.
    const again = await startMetricsListener({ port: own.port, host: '127.0.0.1' });
    await again.close();
  });
});
