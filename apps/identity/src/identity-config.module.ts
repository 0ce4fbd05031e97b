import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { IDENTITY_CONFIG, type IdentityConfig } from './identity.config';

@Injectable()
class DevSecretWarning implements OnModuleInit {
  constructor(@Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig) {}
  onModuleInit(): void {
    if (this.config.jwtSecretIsDevDefault) {
      new Logger('identity').warn('JWT_SECRET is not set: signing tokens with the public dev key (never do this in production)');
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
