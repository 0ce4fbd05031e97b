import { createServer, type Server } from 'node:http';
import { HttpTarget, freePort, startPlatform, waitFor, type TestPlatform } from '@flowstack/testing';
import { ApiClient, createWorkflow, registerTenant, type Tenant } from './api-client';

jest.setTimeout(180_000);

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

/** A local OTLP/HTTP receiver (JSON encoding, what @opentelemetry/exporter-trace-otlp-http sends). */
async function startReceiver(): Promise<{ url: string; spans: ReceivedSpan[]; server: Server }> {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString());
        for (const rs of body.resourceSpans ?? []) {
          const service = rs.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue;
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              const attributes = Object.fromEntries(
                (s.attributes ?? []).map((a: any) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue]),
              );
              spans.push({
                service,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId ?? '',
                name: s.name,
                attributes,
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, spans, server };
}

/**
 * OpenTelemetry over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set: one trace per execution
 * (its id is the execution's), a root span, a span per node attempt from the orchestrator, and the
 * tool-runner's span under its attempt (parented by the WORK message's traceparent).
 */
describe('tracing', () => {
  let platform: TestPlatform;
  let target: HttpTarget;
  let tenant: Tenant;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    target = await new HttpTarget().route('POST', '/work', () => ({ json: { ok: true } })).start();
    platform = await startPlatform({
      label: 'tracing',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' },
    });
    tenant = await registerTenant(new ApiClient(platform.baseUrl), 'tracing');
  });

  afterAll(async () => {
    await platform?.stop();
    await target?.stop();
    await new Promise((r) => receiver?.server.close(r));
  });

  it('exports one trace per execution with a span per node attempt and the runner under it', async () => {
    const workflowId = await createWorkflow(tenant.client, 'traced', {
      entry_point: 'in',
      nodes: [
        { id: 'in', type: 'input' },
        { id: 'call', type: 'tool', config: { tool: { kind: 'http', method: 'POST', url: `${target.url}/work`, body: {} } } },
        { id: 'out', type: 'output', config: { value: '{{ nodes.call.output.body }}' } },
      ],
      edges: [
        { from: 'in', to: 'call' },
        { from: 'call', to: 'out' },
      ],
    });
    // The caller's own trace: the gateway's request span continues it, the orchestrator's RPC span sits under that.
    const callerTrace = 'ab'.repeat(16);
    const callerSpan = 'cd'.repeat(8);
    const started = await fetch(`${platform.baseUrl}/api/v1/workflows/${workflowId}/executions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tenant.token}`,
        'content-type': 'application/json',
        traceparent: `00-${callerTrace}-${callerSpan}-01`,
      },
      body: JSON.stringify({ input: {} }),
    });
    expect(started.status).toBe(202);
    const executionId: string = ((await started.json()) as { executionId: string }).executionId;
    const traceId = executionId.replace(/-/g, '');
    const ofTrace = () => receiver.spans.filter((s) => s.traceId === traceId);
    await waitFor(
      () => ofTrace().some((s) => s.name === 'execution') && ofTrace().some((s) => s.name.startsWith('tool-runner')),
      'the execution and runner spans',
      60_000,
    );
    const spans = ofTrace();
    const root = spans.find((s) => s.name === 'execution')!;
    expect(root).toMatchObject({ service: 'flowstack-orchestrator', parentSpanId: '' });
    expect(root.attributes['flowstack.workflow_id']).toBe(workflowId);
    const attempts = spans.filter((s) => s.name.startsWith('node '));
    expect(attempts.map((s) => s.name).sort()).toEqual(['node input in', 'node output out', 'node tool call']);
    for (const a of attempts) expect(a.parentSpanId).toBe(root.spanId);
    const call = attempts.find((s) => s.name === 'node tool call')!;
    const runner = spans.find((s) => s.name === 'tool-runner tool')!;
    expect(runner).toMatchObject({ service: 'flowstack-tool-runner', parentSpanId: call.spanId });
    expect(runner.attributes['flowstack.execution_id']).toBe(executionId);
    const request = () => receiver.spans.filter((s) => s.traceId === callerTrace);
    await waitFor(() => request().some((s) => s.name.startsWith('rpc ')), 'the request spans');
    const http = request().find((s) => s.name === 'HTTP POST')!;
    expect(http).toMatchObject({ service: 'flowstack-gateway', parentSpanId: callerSpan });
    expect(http.attributes['http.response.status_code']).toBe(202);
    const rpc = request().find((s) => s.service === 'flowstack-orchestrator' && s.name.startsWith('rpc '))!;
    expect(rpc.parentSpanId).toBe(http.spanId);
    // Nothing else lands in this trace twice.
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
  });
});
