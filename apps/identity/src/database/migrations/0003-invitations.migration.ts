import { Migration } from '@mikro-orm/migrations';

/**
 * Invitations to a workspace. Only the SHA-256 of the token is stored (the token has 256 random
 * bits, so a plain hash is as strong as a keyed one and lets the accept look it up by index). At
 * most one pending invitation per (workspace, email): a new one supersedes it.
 */
export class InvitationsMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table identity.invitations (
        id uuid primary key,
        workspace_id uuid not null references identity.workspaces (id) on delete cascade,
        email text not null check (email = lower(email)),
        role text not null check (role in ('admin', 'editor', 'viewer')),
        token_hash text not null,
        status text not null check (status in ('pending', 'accepted', 'declined', 'revoked')),
        invited_by uuid not null,
        created_at timestamptz(3) not null,
        expires_at timestamptz(3) not null,
        answered_at timestamptz(3),
        constraint invitations_token_hash_unique unique (token_hash)
      )`);
    this.addSql(
      `create unique index invitations_one_pending_idx on identity.invitations (workspace_id, email) where status = 'pending'`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists identity.invitations`);
  }
}
