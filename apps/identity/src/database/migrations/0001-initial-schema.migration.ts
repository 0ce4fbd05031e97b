import { Migration } from '@mikro-orm/migrations';

/**
 * Users, workspaces, memberships and revoked tokens. Written by hand (not generated) so the
 * constraints the code relies on are visible: the unique email, the unique (user, workspace) pair
 * that `identity.auth.resolve` reads by, and millisecond timestamps that round-trip through JS Dates.
 */
export class InitialSchemaMigration extends Migration {
  override up(): void {
    this.addSql(`create schema if not exists identity`);
    this.addSql(`
      create table identity.users (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        name text,
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        constraint users_email_unique unique (email),
        constraint users_email_lower_case check (email = lower(email))
      )`);
    this.addSql(`
      create table identity.workspaces (
        id uuid primary key,
        name text not null,
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null
      )`);
    this.addSql(`
      create table identity.memberships (
        id uuid primary key,
        workspace_id uuid not null references identity.workspaces (id) on delete cascade,
        user_id uuid not null references identity.users (id) on delete cascade,
        role text not null check (role in ('admin', 'editor', 'viewer')),
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        constraint memberships_user_id_workspace_id_unique unique (user_id, workspace_id)
      )`);
    this.addSql(`create index memberships_workspace_id_idx on identity.memberships (workspace_id)`);
    this.addSql(`
      create table identity.revoked_tokens (
        jti uuid primary key,
        expires_at timestamptz(3) not null,
        revoked_at timestamptz(3) not null
      )`);
    this.addSql(`create index revoked_tokens_expires_at_idx on identity.revoked_tokens (expires_at)`);
  }
}
