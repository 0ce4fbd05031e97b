import { Module, type DynamicModule } from '@nestjs/common';
import { FireLoop } from './fire-loop';
import { FIRING_SETTINGS, type FiringSettings } from './firing.settings';

/** The fire loop of this replica (idle when `SCHEDULER_FIRE=false`). */
@Module({})
export class FiringModule {
  static forRoot(settings: FiringSettings): DynamicModule {
    return {
      module: FiringModule,
      providers: [{ provide: FIRING_SETTINGS, useValue: settings }, FireLoop],
      exports: [FireLoop],
    };
  }
}
