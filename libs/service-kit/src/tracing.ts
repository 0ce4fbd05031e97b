import { createHash } from 'node:crypto';
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Attributes,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace';
import { randomHex } from './random-hex';

/**
 * Traces, OpenTelemetry over OTLP/HTTP (JSON), on only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set
 * (the exporter's own variables apply: `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_BSP_SCHEDULE_DELAY` ...).
 * Off, nothing is created or recorded: callers check `tracingEnabled()` first.
 *
 * One trace per execution, with ids derived from the execution, so every replica of every service
 * puts its spans in the same trace without sharing state: the trace id is the execution id's 32
 * hex digits, the execution's root span id and each node attempt's span id are hashes of the
 * execution id and the task id (`executionSpanContext`, `attemptSpanContext`). Messages carry the
 * W3C `traceparent` of the span they belong to (WORK: the attempt's; RESULTS: the runner's).
 */
let sdk: NodeSDK | undefined;
let tracer: Tracer | undefined;
/** The ids the next span gets (derived ones), or random ids. */
let nextSpanId: string | undefined;
let nextTraceId: string | undefined;

const ids: IdGenerator = {
  generateTraceId: () => {
    const id = nextTraceId ?? randomHex(16);
    nextTraceId = undefined;
    return id;
  },
  generateSpanId: () => {
    const id = nextSpanId ?? randomHex(8);
    nextSpanId = undefined;
    return id;
  },
};

/**
 * Starts tracing for this process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set; idempotent. The
 * OpenTelemetry Node SDK, for traces only: metrics are Prometheus's (`GET /metrics`) and logs are
 * JSON lines on stdout, so its OTLP metric and log exporters (on by default) are turned off, and
 * there is no auto-instrumentation (none exists for NestJS 12 or nats.js; the spans are ours).
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || !env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return sdk !== undefined;
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': `flowstack-${serviceName}`, 'service.namespace': 'flowstack' }),
    autoDetectResources: false,
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  tracer = trace.getTracer('flowstack');
  return true;
}

/** Sends what is buffered and stops (at shutdown). */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  tracer = undefined;
  await running?.shutdown().catch(() => undefined);
  // A later start in this process (tests) registers afresh.
  trace.disable();
  context.disable();
  propagation.disable();
}

export const tracingEnabled = (): boolean => tracer !== undefined;

const hash16 = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);
const traceIdOf = (executionId: string): string => executionId.replace(/-/g, '').toLowerCase();

/** The root span of an execution's trace. */
export const executionSpanContext = (executionId: string): SpanContext => ({
  traceId: traceIdOf(executionId),
  spanId: hash16(`execution:${executionId}`),
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

/** The span of one node attempt (`taskId` = `<executionId>:<nodeId>:<attempt>`). */
export const attemptSpanContext = (executionId: string, taskId: string): SpanContext => ({
  traceId: traceIdOf(executionId),
  spanId: hash16(`attempt:${taskId}`),
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

/** W3C `traceparent` of a span context. */
export const traceparentOf = (span: SpanContext): string => `00-${span.traceId}-${span.spanId}-0${span.traceFlags & 1}`;

/** The span context of a W3C `traceparent`, or undefined when malformed. */
export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value?.trim() ?? '');
  return m ? { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true } : undefined;
}

export interface RecordedSpan {
  name: string;
  /** The span's own id, when it must be a derived one (an execution root, a node attempt). */
  spanId?: string;
  /** Its parent; none for a root. */
  parent?: SpanContext;
  /** A root span's trace id (a span with a parent is in its parent's trace). */
  traceId?: string;
  start: Date | number;
  end: Date | number;
  attributes?: Attributes;
  error?: string;
}

/**
 * Records a finished span with explicit times (the orchestrator records a node attempt once its
 * result is appended, from the times the result carries). Returns its context. No-op when off.
 */
export function recordSpan(span: RecordedSpan): SpanContext | undefined {
  if (!tracer) return undefined;
  const parentContext = span.parent ? trace.setSpanContext(ROOT_CONTEXT, span.parent) : ROOT_CONTEXT;
  // startSpan draws its ids synchronously from `ids`: these are the ones it gets.
  nextSpanId = span.spanId;
  nextTraceId = span.parent ? undefined : span.traceId;
  const started = tracer.startSpan(span.name, { startTime: span.start, attributes: span.attributes }, parentContext);
  nextSpanId = undefined;
  nextTraceId = undefined;
  if (span.error) started.setStatus({ code: 2, message: span.error });
  started.end(span.end);
  return started.spanContext();
}

/** A span open while work runs (the gateway's HTTP request). */
export interface LiveSpan {
  /** Its context, to pass on as `traceparent`. */
  context: SpanContext;
  end(attributes?: Attributes, error?: string): void;
}

/** Starts a span now (child of `parent` when given); undefined when tracing is off. */
export function startLiveSpan(name: string, parent: SpanContext | undefined, attributes?: Attributes): LiveSpan | undefined {
  if (!tracer) return undefined;
  const span = tracer.startSpan(
    name,
    { kind: SpanKind.SERVER, attributes },
    parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
  );
  return {
    context: span.spanContext(),
    end(more, error) {
      if (more) span.setAttributes(more);
      if (error) span.setStatus({ code: 2, message: error });
      span.end();
    },
  };
}
