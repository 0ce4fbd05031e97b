import { Migration } from '@mikro-orm/migrations';

/**
 * Credentials (sealed values), agents, tools and the links between agents and tools. Names that
 * must be unique (a credential's name, an agent's slug, a tool's model name) are unique among the
 * workspace's live rows only (partial indexes), so a deleted one frees its name. Lists are keyset
 * paginated on (created_at, id) like workflows.
 */
export class AgentsToolsCredentialsMigration extends Migration {
  override up(): void {
    this.addSql(`
      create table registry.credentials (
        id uuid primary key,
        workspace_id uuid not null,
        name text not null,
        kind text not null,
        description text,
        sealed_value text not null,
        key_version integer not null,
        value_updated_at timestamptz(3) not null,
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(`
      create unique index credentials_workspace_name_unique
        on registry.credentials (workspace_id, name) where deleted_at is null`);
    this.addSql(`
      create index credentials_workspace_list_idx
        on registry.credentials (workspace_id, created_at desc, id desc) where deleted_at is null`);
    // The rotation command walks every live credential sealed under an older key.
    this.addSql(`create index credentials_key_version_idx on registry.credentials (key_version, id) where deleted_at is null`);
    this.addSql(`
      create table registry.agents (
        id uuid primary key,
        workspace_id uuid not null,
        name text not null,
        slug text not null,
        description text,
        provider text not null,
        model text not null,
        system_prompt text,
        parameters jsonb not null,
        base_url text,
        credential_id uuid references registry.credentials (id),
        cost_per_run bigint not null check (cost_per_run >= 0),
        max_steps integer not null check (max_steps > 0),
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(
      `create unique index agents_workspace_slug_unique on registry.agents (workspace_id, slug) where deleted_at is null`,
    );
    this.addSql(`
      create index agents_workspace_list_idx
        on registry.agents (workspace_id, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`create index agents_credential_idx on registry.agents (credential_id) where deleted_at is null`);
    this.addSql(`
      create table registry.tools (
        id uuid primary key,
        workspace_id uuid not null,
        name text not null,
        model_name text not null,
        description text,
        kind text not null,
        config jsonb not null,
        input_schema jsonb not null,
        credential_id uuid references registry.credentials (id),
        created_at timestamptz(3) not null,
        updated_at timestamptz(3) not null,
        deleted_at timestamptz(3)
      )`);
    this.addSql(`
      create unique index tools_workspace_model_name_unique
        on registry.tools (workspace_id, model_name) where deleted_at is null`);
    this.addSql(`
      create index tools_workspace_list_idx
        on registry.tools (workspace_id, created_at desc, id desc) where deleted_at is null`);
    this.addSql(`create index tools_credential_idx on registry.tools (credential_id) where deleted_at is null`);
    this.addSql(`
      create table registry.agent_tools (
        agent_id uuid not null references registry.agents (id),
        tool_id uuid not null references registry.tools (id),
        workspace_id uuid not null,
        created_at timestamptz(3) not null,
        primary key (agent_id, tool_id)
      )`);
    this.addSql(`create index agent_tools_list_idx on registry.agent_tools (agent_id, created_at desc, tool_id desc)`);
    this.addSql(`create index agent_tools_tool_idx on registry.agent_tools (tool_id)`);
  }
}
