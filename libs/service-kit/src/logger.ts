import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { currentLogContext } from '@flowstack/contracts';
import type { BaseConfig } from './config';
import { SECRET_KEYS, redactSecrets } from './log-redaction';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Nest's console logger that never prints a recognisable secret: objects lose the values of
 * secret keys (Nest's `redact` paths), and every message text is scrubbed (`redactSecrets`:
 * bearer tokens, URL passwords, JWTs, API keys, master keys, provider keys, `password=...`).
 */
class RedactingLogger extends ConsoleLogger {
  protected override redact(value: unknown): unknown {
    const masked = super.redact(value);
    return typeof masked === 'string' ? redactSecrets(masked) : masked;
  }

  /** A JSON line also carries the trace, workspace and execution ids of the work in progress. */
  protected override getJsonLogObject(
    ...args: Parameters<ConsoleLogger['getJsonLogObject']>
  ): ReturnType<ConsoleLogger['getJsonLogObject']> {
    const line = super.getJsonLogObject(...args);
    const context = currentLogContext();
    return context ? { ...line, ...context } : line;
  }

  protected override printStackTrace(stack: string): void {
    super.printStackTrace(stack ? redactSecrets(stack) : stack);
  }
}

/**
 * Nest's console logger, named after the service so interleaved output of several processes stays
 * readable; JSON lines (with service and pid) when `LOG_FORMAT=json`, for log shippers. Secrets
 * are redacted in both formats (`RedactingLogger`).
 */
export function createLogger(config: BaseConfig): ConsoleLogger {
  const upTo = LEVELS.indexOf(config.logLevel);
  return new RedactingLogger(config.serviceName, {
    json: config.logFormat === 'json',
    colors: config.logFormat !== 'json' && process.stdout.isTTY,
    logLevels: LEVELS.slice(0, upTo < 0 ? 4 : upTo + 1),
    prefix: config.serviceName,
    redact: SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  });
}
