import { Global, Logger, Module } from '@nestjs/common';
import { Pool } from 'pg';
import { IDENTITY_CONFIG, type IdentityConfig } from '../identity.config';
import { AuthThrottle, THROTTLE_POOL } from './auth-throttle.service';
import { BcryptGate } from './bcrypt.gate';

/**
 * Login/register throttling and the bound on concurrent bcrypt work. The counters use a small pool
 * of their own: a throttle check must not wait behind the ORM's connections under the very load
 * it exists to shed.
 */
@Global()
@Module({
  providers: [
    {
      provide: THROTTLE_POOL,
      inject: [IDENTITY_CONFIG],
      useFactory: (config: IdentityConfig): Pool => {
        // Two connections: a check is one upsert, and Postgres connections are a shared budget.
        const pool = new Pool({ connectionString: config.databaseUrl, max: 2, idleTimeoutMillis: 5_000 });
        // An idle client dropped by the server must not crash the process; the next query reconnects.
        pool.on('error', (e) => new Logger('identity').warn(`rate-limit pool: ${e.message}`));
        return pool;
      },
    },
    {
      provide: BcryptGate,
      inject: [IDENTITY_CONFIG],
      useFactory: (config: IdentityConfig): BcryptGate =>
        new BcryptGate(config.throttle.bcryptConcurrency, config.throttle.bcryptQueue),
    },
    AuthThrottle,
  ],
  exports: [AuthThrottle, BcryptGate],
})
export class ThrottleModule {}
