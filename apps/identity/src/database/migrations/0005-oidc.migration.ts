import { Migration } from '@mikro-orm/migrations';

/**
 * OpenID Connect login. `oidc_logins` holds each started login's state, nonce and PKCE verifier
 * until its callback consumes it (one `delete ... returning`: single use across every gateway and
 * identity replica) or it expires. `oidc_identities` links a provider's (issuer, subject) to a
 * user. Users who only sign in through a provider have no password hash.
 */
export class OidcMigration extends Migration {
  override up(): void {
    this.addSql(`alter table identity.users alter column password_hash drop not null`);
    this.addSql(`
      create table identity.oidc_logins (
        state text primary key,
        nonce text not null,
        code_verifier text not null,
        expires_at timestamptz(3) not null
      )`);
    this.addSql(`create index oidc_logins_expires_at_idx on identity.oidc_logins (expires_at)`);
    this.addSql(`
      create table identity.oidc_identities (
        issuer text not null,
        subject text not null,
        user_id uuid not null references identity.users (id) on delete cascade,
        created_at timestamptz(3) not null,
        primary key (issuer, subject)
      )`);
    this.addSql(`create index oidc_identities_user_id_idx on identity.oidc_identities (user_id)`);
  }

  override down(): void {
    this.addSql(`drop table if exists identity.oidc_identities`);
    this.addSql(`drop table if exists identity.oidc_logins`);
  }
}
