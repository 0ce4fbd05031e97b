import { Module, type DynamicModule } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog, AuditModule } from '@flowstack/orm';
import type { Keyring } from '@flowstack/vault';
import { CredentialsHandlers } from './credentials.handlers';
import { CredentialsService } from './credentials.service';

/** The credential vault's rows over NATS: sealed values in, metadata out, sealed values to the tool-runner. */
@Module({})
export class CredentialsModule {
  static forRoot(keyring: Keyring | undefined): DynamicModule {
    return {
      module: CredentialsModule,
      imports: [AuditModule],
      controllers: [CredentialsHandlers],
      providers: [
        {
          provide: CredentialsService,
          inject: [EntityManager, AuditLog],
          useFactory: (em: EntityManager, audit: AuditLog) => new CredentialsService(em, audit, keyring),
        },
      ],
    };
  }
}
