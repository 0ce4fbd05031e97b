// A minimal service started through `runService`, driven by lines on stdin, so the process guards
// are exercised in a real process: `throw` throws from a timer callback (an uncaught exception),
// `reject` leaves a rejected promise unhandled, `ping` answers `pong` (the process still serves).
// With FAIL_AT_START=1 it throws uncaught while starting. READINESS=failing registers a readiness
// check that fails; HANG_ON_SHUTDOWN=1 gives it a shutdown hook that never ends; STALL_AT_START=1
// keeps it starting (its ops port open, not ready) until the line `go`.
import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { registerReadinessCheck } from '@flowstack/contracts';
import { NestFactory } from '@nestjs/core';
import { createInterface } from 'node:readline';
import { createLogger, loadBaseConfig, runService } from '../src';

@Injectable()
class Hanging implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return process.env.HANG_ON_SHUTDOWN === '1' ? new Promise(() => undefined) : Promise.resolve();
  }
}

@Module({ providers: [Hanging] })
class EmptyModule {}

registerReadinessCheck('always', () => undefined);
if (process.env.READINESS === 'failing') {
  registerReadinessCheck('upstream', () => {
    throw new Error('upstream is down');
  });
}

const logger = createLogger(loadBaseConfig('guarded'));
const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.on('line', (line) => line === 'go' && resolve()));

void runService('guarded', logger, async () => {
  const app = await NestFactory.createApplicationContext(EmptyModule, { logger: false });
  if (process.env.STALL_AT_START === '1') {
    process.stdout.write('stalled at start\n');
    await go;
  }
  if (process.env.FAIL_AT_START === '1') {
    setTimeout(() => {
      throw new Error('broken while starting');
    });
    await new Promise(() => undefined);
  }
  lines.on('line', (line) => {
    if (line === 'throw') {
      setTimeout(() => {
        throw new Error('boom from a timer');
      });
    } else if (line === 'reject') {
      void Promise.reject(new Error('nobody caught this'));
    } else if (line === 'fatal') {
      setTimeout(() => {
        throw Object.assign(new Error('state is gone'), { fatal: true });
      });
    } else if (line === 'ping') {
      process.stdout.write('pong\n');
    }
  });
  return app;
});
