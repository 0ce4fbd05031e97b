/**
 * Postgres SQLSTATEs that say the database (not the statement) is the problem: connection
 * exceptions (class 08), the server shutting down or starting (57P01-57P03), too many connections.
 */
const OUTAGE_STATES = /^(08...|57P0[123]|53300)$/;
/** Node socket errors of a connection that went away or never came. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres's own words for a pool or connection that failed. */
const PG_DRIVER_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/**
 * Whether an error means the database is unreachable right now, rather than that this one message
 * cannot be recorded. Such failures say nothing about the message, so they must not spend its
 * bounded deliveries: the consumer holds the message and retries until the database is back.
 */
export function isDatabaseOutage(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (OUTAGE_STATES.test(code) || SOCKET_CODES.has(code))) return true;
  return e instanceof Error && PG_DRIVER_MESSAGES.test(e.message);
}
