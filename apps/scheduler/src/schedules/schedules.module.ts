import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { FiringModule } from '../firing/firing.module';
import type { FiringSettings } from '../firing/firing.settings';
import { SchedulesHandlers } from './schedules.handlers';
import { SchedulesService } from './schedules.service';

/** Schedules over NATS: CRUD, pause and resume, next fire times and the history of fires. */
@Module({})
export class SchedulesModule {
  static forRoot(firing: FiringSettings): DynamicModule {
    return {
      module: SchedulesModule,
      imports: [AuditModule, FiringModule.forRoot(firing)],
      controllers: [SchedulesHandlers],
      providers: [SchedulesService],
    };
  }
}
