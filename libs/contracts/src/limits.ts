/**
 * The platform's size and depth limits, in one place so every service enforces the same numbers
 * and the README can document them. Above a limit a request gets `payload_too_large` (413) or
 * `validation_failed` (400), a node fails with a typed error: nothing is cut silently.
 */
export const Limits = {
  /**
   * What one NATS message may carry (the server's default `max_payload`). Every request, reply,
   * task, result and event published on the bus is checked against the connection's real limit
   * (`nc.info.max_payload`) before it is sent; this is the default when that is unknown.
   */
  busMessageBytes: 1024 * 1024,
  /**
   * Largest HTTP request body the gateway accepts: it travels inside one RPC request, so it stays
   * well below `busMessageBytes` (headers and the envelope need room too).
   */
  requestBodyBytes: 768 * 1024,
  /** Deepest nesting of a JSON request body (objects and arrays), so parsers and folds never recurse unbounded. */
  jsonDepth: 64,
  /**
   * A value (an execution input, a node output) whose JSON is larger than this is stored once out
   * of band (a claim check) and events, tasks and results carry a reference to it instead.
   */
  inlineValueBytes: 64 * 1024,
  /** Largest single value (execution input, node output) at all, stored out of band or not. */
  maxValueBytes: 16 * 1024 * 1024,
  /** Largest stored event (its data as JSON, after large values were replaced by references). */
  maxEventBytes: 256 * 1024,
} as const;
