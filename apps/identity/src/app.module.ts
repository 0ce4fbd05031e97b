import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@flowstack/messaging';
import { OrmDatabaseModule } from '@flowstack/orm';
import { AuthModule } from './auth/auth.module';
import { identityOrmSettings } from './database/identity-orm';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { MembersModule } from './members/members.module';
import { OidcModule } from './oidc/oidc.module';
import { AuditReadModule } from './audit/audit.module';
import { IdentityConfigModule } from './identity-config.module';
import type { IdentityConfig } from './identity.config';
import { ThrottleModule } from './throttle/throttle.module';

/** The identity service: users, workspaces, memberships, tokens; answers `identity.*` over NATS. */
@Module({})
export class AppModule {}

/** Builds the service's root module from its settings (tests pass their own database and namespace). */
export function createAppModule(config: IdentityConfig): DynamicModule {
  return {
    module: AppModule,
    imports: [
      IdentityConfigModule.forRoot(config),
      MessagingModule.forRoot({
        serviceName: 'identity',
        natsUrl: config.natsUrl,
        namespace: config.namespace,
        streams: ['EVENTS'],
      }),
      OrmDatabaseModule.forRoot(identityOrmSettings(config)),
      ThrottleModule,
      AuthModule,
      MembersModule,
      ApiKeysModule,
      OidcModule,
      AuditReadModule,
    ],
  };
}
