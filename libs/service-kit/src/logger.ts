import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import type { BaseConfig } from './config';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/**
 * Nest's console logger, named after the service so interleaved output of several processes stays
 * readable; JSON lines (with service and pid) when `LOG_FORMAT=json`, for log shippers.
 */
export function createLogger(config: BaseConfig): ConsoleLogger {
  const upTo = LEVELS.indexOf(config.logLevel);
  return new ConsoleLogger(config.serviceName, {
    json: config.logFormat === 'json',
    colors: config.logFormat !== 'json' && process.stdout.isTTY,
    logLevels: LEVELS.slice(0, upTo < 0 ? 4 : upTo + 1),
    prefix: config.serviceName,
  });
}
