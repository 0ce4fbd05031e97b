import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/transport-node';

/** Read once: tracing is on when the process exports spans (service-kit's `startTracing`). */
const tracing = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());

const parentOf = (headers: MsgHdrs | undefined): SpanContext | undefined => {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(headers?.get('traceparent')?.trim() ?? '');
  return m ? { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true } : undefined;
};

/**
 * A SERVER span `rpc <pattern>` for one request, child of the caller's `traceparent` (the gateway's
 * request span); answers the function that ends it (with the error code of a typed error). Off
 * (no OTLP endpoint) it builds nothing and answers undefined.
 */
export function startRpcSpan(
  pattern: string,
  subject: string,
  headers: MsgHdrs | undefined,
): ((error?: string) => void) | undefined {
  if (!tracing) return undefined;
  const parent = parentOf(headers);
  const span = trace
    .getTracer('flowstack')
    .startSpan(
      `rpc ${pattern}`,
      { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'nats', 'messaging.destination.name': subject } },
      parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT,
    );
  return (error) => {
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    span.end();
  };
}
