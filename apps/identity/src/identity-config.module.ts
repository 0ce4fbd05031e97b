import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig } from './identity.config';

@Injectable()
class DevSecretWarning implements OnModuleInit {
  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}
  onModuleInit(): void {
    if (this.config.jwtSecretSource === 'ephemeral') {
      new Logger('identity').warn(
        'JWT_SECRET is not set: signing tokens with a random key of this process (development only: tokens end ' +
          'with a restart and other replicas cannot verify them)',
      );
    }
  }
}

/** Makes the identity settings (`IDENTITY_CONFIG`) injectable everywhere in the service. */
@Global()
@Module({})
export class IdentityConfigModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityConfigModule,
      providers: [{ provide: IDENTITY_CONFIG, useValue: config }, DevSecretWarning],
      exports: [IDENTITY_CONFIG],
    };
  }
}
