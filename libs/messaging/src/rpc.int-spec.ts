import { randomBytes, randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Controller, Inject, type DynamicModule, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { lastValueFrom, of } from 'rxjs';
import { register } from 'prom-client';
import { FlowstackError, namespaceOf, subject, type Namespace, type RequestContext } from '@flowstack/contracts';
import { HEADER_ALLOWANCE_BYTES, maxPayloadOf } from './payload-limit';
import { RpcClient, RpcRecord } from './rpc.client';
import type { RpcContext } from './rpc.context';
import { startRpcMicroservice } from './rpc.microservice';
import { RpcServer, type RpcLogger } from './rpc.server';

const ctx = (): RequestContext => ({
  workspaceId: randomUUID(),
  actor: { id: 'user-1', type: 'user', role: 'editor' },
  correlationId: randomUUID(),
  traceparent: `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`,
});

const rejection = async (p: Promise<unknown>): Promise<FlowstackError> => {
  try {
    await p;
  } catch (e) {
    return e as FlowstackError;
  }
  throw new Error('expected a rejection');
};

/** `flowstack_payload_too_large_total{what}` as this process's registry has it now. */
const tooLarge = async (what: 'reply' | 'request'): Promise<number> => {
  const metric = await register.getSingleMetric('flowstack_payload_too_large_total')!.get();
  return metric.values.find((v) => v.labels.what === what)?.value ?? 0;
};

/** Polls `probe` until it holds, or fails after `timeoutMs` (messaging cannot import @flowstack/testing: a cycle). */
async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A nats-server of this test's own on a random loopback port, with `authorization`; resolves with its URL. */
async function ownNatsServer(authorization: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rpc-int-spec-nats-'));
  const file = path.join(dir, 'nats-server.conf');
  writeFileSync(file, `listen: "127.0.0.1:-1"\nauthorization ${authorization}\n`);
  const child = spawn(process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server', ['-c', file], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nats-server did not listen:\n${output}`)), 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const port = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`nats://127.0.0.1:${port}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  }).catch(async (e: unknown) => {
    await stop();
    throw e;
  });
  return { url, stop };
}

/** What one server's handlers saw, and a gate a test holds a request at. */
class SpecState {
  calls = 0;
  served = 0;
  release!: () => void;
  readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  entered!: () => void;
  readonly held = new Promise<void>((resolve) => (this.entered = resolve));
  constructor(readonly name: string) {}
}

const SPEC_STATE = Symbol('SPEC_STATE');

/** Handlers declared the way the services declare theirs. */
@Controller()
class SpecHandlers {
  constructor(
    @Inject(SPEC_STATE) private readonly state: SpecState,
    private readonly client: RpcClient,
  ) {}

  @MessagePattern('spec.echo')
  echo(@Payload() body: { size?: number; text?: string }) {
    this.state.calls++;
    return body.size === undefined ? { text: body.text } : { text: 'x'.repeat(body.size) };
  }

  @MessagePattern('spec.bigint')
  bigint() {
    return { n: BigInt(1) };
  }

  @MessagePattern('spec.void')
  nothing(): void {}

  @MessagePattern('spec.typed')
  typed(): never {
    throw new FlowstackError('conflict', 'a workflow of that name exists', [{ path: 'name', message: 'taken', rule: 'unique' }]);
  }

  @MessagePattern('spec.crash')
  crash(): never {
    throw new Error('the database password is hunter2');
  }

  @MessagePattern('spec.rejects')
  async rejects(): Promise<never> {
    await Promise.resolve();
    throw new TypeError('cannot read properties of undefined (secret)');
  }

  @MessagePattern('spec.observable')
  observable() {
    return of(1, 2, 3);
  }

  @MessagePattern('spec.context')
  context(@Ctx() rpc: RpcContext) {
    return { ...rpc.requestContext, subject: rpc.getSubject() };
  }

  /** One hop further with the caller's context, as the orchestrator calls the registry. */
  @MessagePattern('spec.relay')
  relay(@Ctx() rpc: RpcContext) {
    return this.client.request('spec.context', {}, rpc.requestContext);
  }

  @MessagePattern('spec.who')
  who() {
    this.state.served++;
    return this.state.name;
  }

  @MessagePattern('spec.slow')
  async slow(@Payload() body: { hold?: boolean }) {
    if (body.hold) {
      this.state.entered();
      await this.state.gate;
    }
    return { held: Boolean(body.hold) };
  }
}

@Controller()
class EventHandlers {
  @EventPattern('spec.happened')
  happened(@Payload() _event: unknown): void {}
}

@Controller()
class WildcardHandlers {
  @MessagePattern('spec.*')
  any(): void {}
}

const specModule = (
  server: RpcServer,
  client: RpcClient,
  state: SpecState,
  controller: unknown = SpecHandlers,
): DynamicModule => ({
  module: class SpecModule {},
  controllers: [controller as typeof SpecHandlers],
  providers: [
    { provide: RpcServer, useValue: server },
    { provide: RpcClient, useValue: client },
    { provide: SPEC_STATE, useValue: state },
  ],
});

/** Our transport strategy and ClientProxy against this machine's NATS, under a namespace of this file. */
describe('RPC over the real NATS, through @nestjs/microservices', () => {
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const ns = namespaceOf(`rpc${randomBytes(4).toString('hex')}`);
  const logged: string[] = [];
  const logger: RpcLogger = { error: (message, meta) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`) };
  const a = new SpecState('a');
  const b = new SpecState('b');
  const connections: NatsConnection[] = [];
  const apps: INestMicroservice[] = [];
  let clientNc: NatsConnection;
  let client: RpcClient;
  let room: number;

  const open = async (name: string): Promise<NatsConnection> => {
    const nc = await connect({ servers: url, name });
    connections.push(nc);
    return nc;
  };

  /** One service replica: its own connection, the queue group `rpc-spec`, the controller above. */
  const startReplica = async (state: SpecState, namespace: Namespace = ns, drainTimeoutMs?: number) => {
    const nc = await open(`rpc-int-spec-${state.name}`);
    const server = new RpcServer(nc, namespace, 'rpc-spec', { logger, drainTimeoutMs });
    const app = await startRpcMicroservice(specModule(server, new RpcClient(nc, namespace, 5_000), state), { logger: false });
    apps.push(app);
    await nc.flush();
    return app;
  };

  beforeAll(async () => {
    clientNc = await open('rpc-int-spec-client');
    client = new RpcClient(clientNc, ns, 5_000);
    room = maxPayloadOf(clientNc) - HEADER_ALLOWANCE_BYTES;
    await startReplica(a);
    await startReplica(b);
    // Responders that are not ours: bytes that are no envelope, and one that never answers.
    clientNc.subscribe(subject(ns, 'spec.broken'), { callback: (_e, m) => void m.respond('not json at all') });
    clientNc.subscribe(subject(ns, 'spec.bare'), { callback: (_e, m) => void m.respond(JSON.stringify([1, 2])) });
    clientNc.subscribe(subject(ns, 'spec.silent'), { callback: () => undefined });
    await clientNc.flush();
  });

  afterAll(async () => {
    await Promise.allSettled(apps.map((app) => app.close()));
    await Promise.allSettled(connections.map((nc) => nc.close()));
  });

  it('answers a reply that fits, an Observable with its last value, and undefined as undefined', async () => {
    await expect(client.request('spec.echo', { text: 'hello' }, ctx())).resolves.toEqual({ text: 'hello' });
    await expect(client.request('spec.observable', {}, ctx())).resolves.toBe(3);
    await expect(client.request('spec.void', {}, ctx())).resolves.toBeUndefined();
  });

  it('serves subjects under the namespace prefix only', async () => {
    const reply = await clientNc.request(subject(ns, 'spec.echo'), JSON.stringify({ text: 'raw' }), { timeout: 5_000 });
    expect(reply.json()).toEqual({ data: { text: 'raw' } });
    await expect(clientNc.request('spec.echo', JSON.stringify({ text: 'raw' }), { timeout: 2_000 })).rejects.toThrow(
      /no responders/i,
    );
  });

  it('carries the request context in headers to the handler, and on through a second hop', async () => {
    const sent = ctx();
    await expect(client.request('spec.context', {}, sent)).resolves.toEqual({ ...sent, subject: subject(ns, 'spec.context') });
    await expect(client.request('spec.relay', {}, sent)).resolves.toEqual({ ...sent, subject: subject(ns, 'spec.context') });
  });

  it('hands a FlowstackError to the caller typed, with its field errors', async () => {
    const error = await rejection(client.request('spec.typed', {}, ctx()));
    expect(error).toBeInstanceOf(FlowstackError);
    expect(error).toMatchObject({
      code: 'conflict',
      message: 'a workflow of that name exists',
      errors: [{ path: 'name', message: 'taken', rule: 'unique' }],
      retryable: false,
    });
  });

  it('answers any other exception, thrown or rejected, as internal without its message, and logs it with its stack', async () => {
    for (const name of ['spec.crash', 'spec.rejects']) {
      const error = await rejection(client.request(name, {}, ctx()));
      expect(error).toBeInstanceOf(FlowstackError);
      expect(error).toMatchObject({ code: 'internal', message: 'internal error' });
      expect(JSON.stringify(error)).not.toMatch(/hunter2|secret/);
    }
    expect(logged.join('\n')).toMatch(/handler spec\.crash threw .*hunter2.*at /s);
    expect(logged.join('\n')).toMatch(/handler spec\.rejects threw .*TypeError/s);
  });

  it('answers a reply larger than the bus with a typed payload_too_large at once, logs it, counts it, and keeps serving', async () => {
    const counted = await tooLarge('reply');
    const error = await rejection(client.request('spec.echo', { size: room + 10 }, ctx()));
    expect(error).toBeInstanceOf(FlowstackError);
    expect(error).toMatchObject({ code: 'payload_too_large', retryable: false });
    expect(error.message).toContain('spec.echo');
    expect(logged.join('\n')).toMatch(/spec\.echo: answer replaced by payload_too_large/);
    expect(await tooLarge('reply')).toBe(counted + 1);

    // The subscription survived: the next request of the same subject is answered.
    await expect(client.request('spec.echo', { text: 'still here' }, ctx())).resolves.toEqual({ text: 'still here' });
  });

  it('answers a reply exactly at the limit, and one byte over it with payload_too_large', async () => {
    const envelope = JSON.stringify({ data: { text: '' } }).length;
    const fits = await client.request<{ text: string }>('spec.echo', { size: room - envelope }, ctx());
    expect(fits.text.length).toBe(room - envelope);
    await expect(client.request('spec.echo', { size: room - envelope + 1 }, ctx())).rejects.toMatchObject({
      code: 'payload_too_large',
    });
  });

  it('answers a payload that is not JSON with validation_failed, without calling the handler', async () => {
    const calls = a.calls + b.calls;
    const reply = await clientNc.request(subject(ns, 'spec.echo'), '{"text": "unterminated', { timeout: 5_000 });
    expect(reply.json()).toEqual({
      error: expect.objectContaining({ code: 'validation_failed', errors: [expect.objectContaining({ rule: 'invalid_json' })] }),
    });
    const binary = await clientNc.request(subject(ns, 'spec.echo'), new Uint8Array([0xc3, 0x28, 0xa0, 0xa1]), {
      timeout: 5_000,
    });
    expect(binary.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(a.calls + b.calls).toBe(calls);
    await expect(client.request('spec.echo', { text: 'next' }, ctx())).resolves.toEqual({ text: 'next' });
    expect(a.calls + b.calls).toBe(calls + 1);
  });

  it('answers an answer JSON cannot encode with internal, without leaking why (not counted as too large)', async () => {
    const counted = await tooLarge('reply');
    await expect(client.request('spec.bigint', {}, ctx())).rejects.toMatchObject({ code: 'internal', message: 'internal error' });
    expect(logged.join('\n')).toMatch(/spec\.bigint: answer replaced by internal/);
    expect(await tooLarge('reply')).toBe(counted);
  });

  it('refuses a request larger than the bus before sending it, as a typed payload_too_large, and counts it', async () => {
    const counted = await tooLarge('request');
    const calls = a.calls + b.calls;
    const error = await rejection(client.request('spec.echo', { text: 'y'.repeat(room + 1) }, ctx()));
    expect(error).toBeInstanceOf(FlowstackError);
    expect(error).toMatchObject({ code: 'payload_too_large' });
    expect(error.message).toContain('spec.echo');
    expect(await tooLarge('request')).toBe(counted + 1);
    expect(a.calls + b.calls).toBe(calls);
  });

  it('turns a malformed reply into a typed internal error naming the subject', async () => {
    await expect(client.request('spec.broken', {}, ctx())).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('malformed reply from spec.broken'),
    });
    await expect(client.request('spec.bare', {}, ctx())).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('malformed reply from spec.bare'),
    });
  });

  it('maps no responders, a timeout and a closed connection to unavailable (retryable)', async () => {
    await expect(client.request('spec.nobody', {}, ctx())).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
      retryAfter: 1,
      message: 'no service answers spec.nobody',
    });
    await expect(client.request('spec.silent', {}, ctx(), 200)).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
      message: 'spec.silent timed out after 200 ms',
    });
    const closed = await connect({ servers: url, name: 'rpc-int-spec-closed' });
    await closed.close();
    await expect(new RpcClient(closed, ns).request('spec.echo', {}, ctx())).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
      message: expect.stringContaining('closing'),
    });
    // A request still waiting when its connection closes.
    const closing = await connect({ servers: url, name: 'rpc-int-spec-closing' });
    const waiting = new RpcClient(closing, ns).request('spec.silent', {}, ctx(), 10_000);
    await closing.flush();
    await closing.close();
    await expect(waiting).rejects.toMatchObject({
      code: 'unavailable',
      retryable: true,
      message: expect.stringContaining('closing'),
    });
  });

  it('maps a permission refusal of the bus to internal, naming the missing permission', async () => {
    const nats = await ownNatsServer(
      '{ users: [ { user: "narrow", password: "narrow-pw", permissions: { publish: ["_INBOX.>"], subscribe: ["_INBOX.>"] } } ] }',
    );
    const narrow = await connect({ servers: nats.url, user: 'narrow', pass: 'narrow-pw', name: 'rpc-int-spec-narrow' });
    try {
      await expect(new RpcClient(narrow, ns, 3_000).request('spec.echo', {}, ctx())).rejects.toMatchObject({
        code: 'internal',
        message: 'the bus refused the request to spec.echo: this service has no permission to publish it',
      });
    } finally {
      await narrow.close();
      await nats.stop();
    }
  });

  it('shares the load of one subject across the replicas of a queue group, each request served once', async () => {
    const before = a.served + b.served;
    const answers = await Promise.all(Array.from({ length: 60 }, () => client.request<string>('spec.who', {}, ctx())));
    expect(new Set(answers)).toEqual(new Set(['a', 'b']));
    expect(a.served + b.served - before).toBe(60);
  });

  it('is a Nest ClientProxy: send() emits the answer once, errors typed; a record without context and emit() are refused', async () => {
    await expect(lastValueFrom(client.send('spec.echo', new RpcRecord({ text: 'observed' }, ctx())))).resolves.toEqual({
      text: 'observed',
    });
    await expect(lastValueFrom(client.send('spec.void', new RpcRecord({}, ctx())))).resolves.toBeUndefined();
    await expect(lastValueFrom(client.send('spec.typed', new RpcRecord({}, ctx())))).rejects.toMatchObject({ code: 'conflict' });
    await expect(lastValueFrom(client.send('spec.silent', new RpcRecord({}, ctx(), 100)))).rejects.toMatchObject({
      code: 'unavailable',
    });
    await expect(lastValueFrom(client.send('spec.echo', { text: 'no context' }))).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('RpcRecord'),
    });
    await expect(lastValueFrom(client.emit('spec.echo', new RpcRecord({}, ctx())))).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('JetStream'),
    });
  });

  it('refuses to start with an @EventPattern or a pattern that is no plain subject', async () => {
    for (const [controller, refusal] of [
      [EventHandlers, /@EventPattern\('spec\.happened'\) is not served/],
      [WildcardHandlers, /@MessagePattern\(spec\.\*\) is not a NATS subject/],
    ] as const) {
      const nc = await open('rpc-int-spec-refused');
      const server = new RpcServer(nc, ns, 'rpc-spec-refused', { logger });
      await expect(
        startRpcMicroservice(specModule(server, new RpcClient(nc, ns), new SpecState('x'), controller), { logger: false }),
      ).rejects.toThrow(refusal);
    }
  });

  it('drains on close: stops taking new requests, and the request in flight still answers before close resolves', async () => {
    const own = namespaceOf(`rpcdrain${randomBytes(4).toString('hex')}`);
    const state = new SpecState('draining');
    const app = await startReplica(state, own);
    const caller = new RpcClient(clientNc, own, 10_000);
    const held = caller.request('spec.slow', { hold: true }, ctx());
    held.catch(() => undefined); // asserted below; a failure before that must not be an unhandled rejection
    await state.held;

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    // New requests stop: once the subscription is drained nobody answers the subject.
    await waitFor(
      async () => (await rejection(caller.request('spec.slow', {}, ctx(), 1_000))).message === 'no service answers spec.slow',
      'the drained subscription to stop answering',
    );
    expect(closed).toBe(false);

    state.release();
    await expect(held).resolves.toEqual({ held: true });
    await closing;
    expect(closed).toBe(true);
  });
});
