import { Migration } from '@mikro-orm/migrations';

/**
 * API keys: the visible prefix and the keyed hash (HMAC-SHA256 with the pepper), never the key.
 * `last_used_at` is written in batches from the gateways, not per request.
 */
export class ApiKeysMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table identity.api_keys (
        id uuid primary key,
        workspace_id uuid not null references identity.workspaces (id) on delete cascade,
        name text not null,
        prefix text not null,
        key_hash text not null,
        role text not null check (role in ('admin', 'editor', 'viewer')),
        created_by uuid not null,
        created_at timestamptz(3) not null,
        expires_at timestamptz(3),
        revoked_at timestamptz(3),
        last_used_at timestamptz(3),
        constraint api_keys_key_hash_unique unique (key_hash)
      )`);
    this.addSql(`create index api_keys_workspace_id_idx on identity.api_keys (workspace_id, created_at)`);
  }

  override down(): void {
    this.addSql(`drop table if exists identity.api_keys`);
  }
}
