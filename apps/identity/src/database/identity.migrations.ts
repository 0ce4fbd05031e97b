import type { MigrationObject } from '@mikro-orm/core';
import { InitialSchemaMigration } from './migrations/0001-initial-schema.migration';
import { AuthRateLimitsMigration } from './migrations/0002-auth-rate-limits.migration';
import { InvitationsMigration } from './migrations/0003-invitations.migration';
import { ApiKeysMigration } from './migrations/0004-api-keys.migration';
import { OidcMigration } from './migrations/0005-oidc.migration';

/**
 * Every migration of the identity schema, in order. Names are stored in
 * `identity.mikro_orm_migrations`: never rename or reorder one that has shipped, only append.
 */
export const IDENTITY_MIGRATIONS: MigrationObject[] = [
  { name: '0001-initial-schema', class: InitialSchemaMigration },
  { name: '0002-auth-rate-limits', class: AuthRateLimitsMigration },
  { name: '0003-invitations', class: InvitationsMigration },
  { name: '0004-api-keys', class: ApiKeysMigration },
  { name: '0005-oidc', class: OidcMigration },
];
