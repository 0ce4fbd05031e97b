import type { ServiceOrmSettings } from '@flowstack/orm';
import type { IdentityConfig } from '../identity.config';
import { User } from '../users/user.entity';
import { Workspace } from '../workspaces/workspace.entity';
import { Membership } from '../workspaces/membership.entity';
import { Invitation } from '../members/invitation.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { RevokedToken } from '../tokens/revoked-token.entity';
import { IDENTITY_MIGRATIONS } from './identity.migrations';

/** The identity service's relational state: the `identity` schema, its entities and migrations. */
export const identityOrmSettings = (config: Pick<IdentityConfig, 'databaseUrl' | 'runMigrations'>): ServiceOrmSettings => ({
  databaseUrl: config.databaseUrl,
  runMigrations: config.runMigrations,
  schema: 'identity',
  entities: [User, Workspace, Membership, RevokedToken, Invitation, ApiKey],
  migrations: IDENTITY_MIGRATIONS,
});
