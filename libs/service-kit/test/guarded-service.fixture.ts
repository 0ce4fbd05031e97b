// A minimal service started through `runService`, driven by lines on stdin, so the process guards
// are exercised in a real process: `throw` throws from a timer callback (an uncaught exception),
// `reject` leaves a rejected promise unhandled, `ping` answers `pong` (the process still serves).
// With FAIL_AT_START=1 it throws uncaught while starting.
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createInterface } from 'node:readline';
import { createLogger, loadBaseConfig, runService } from '../src';

@Module({})
class EmptyModule {}

const logger = createLogger(loadBaseConfig('guarded'));

void runService('guarded', logger, async () => {
  const app = await NestFactory.createApplicationContext(EmptyModule, { logger: false });
  if (process.env.FAIL_AT_START === '1') {
    setTimeout(() => {
      throw new Error('broken while starting');
    });
    await new Promise(() => undefined);
  }
  createInterface({ input: process.stdin }).on('line', (line) => {
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
