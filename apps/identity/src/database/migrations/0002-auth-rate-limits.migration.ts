import { Migration } from '@mikro-orm/migrations';

/**
 * The login/register throttle's counters, in the exact shape `rate-limiter-flexible`'s Postgres
 * store reads and writes (`key`, `points`, `expire` in epoch milliseconds). Created here rather
 * than by the library at start-up, so replicas never race on DDL and a read-only role could run
 * the service. Keys are prefixed (`login-ip:`, `login-account:<sha256 of the email>`, `register-ip:`);
 * the library deletes rows expired for an hour every five minutes.
 */
export class AuthRateLimitsMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table identity.auth_rate_limits (
        key varchar(255) primary key,
        points integer not null default 0,
        expire bigint
      )`);
    this.addSql(`create index auth_rate_limits_expire_idx on identity.auth_rate_limits (expire)`);
  }

  override down(): void {
    this.addSql(`drop table if exists identity.auth_rate_limits`);
  }
}
