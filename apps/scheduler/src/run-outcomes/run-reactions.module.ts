import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from '@flowstack/orm';
import { DELIVERY_SETTINGS, DeliveryLoop, type DeliverySettings } from '../notifications/delivery-loop';
import { NotificationsHandlers } from '../notifications/notifications.handlers';
import { NotificationsService } from '../notifications/notifications.service';
import { TriggersHandlers } from '../triggers/triggers.handlers';
import { TriggersService } from '../triggers/triggers.service';
import { RunOutcomesConsumer } from './run-outcomes.consumer';
import { WorkflowDeletionsConsumer } from '../workflow-deletions/workflow-deletions.consumer';

/** What happens when a run ends: event triggers, notifications (and their delivery loop), and the consumer that observes the ends. */
@Module({})
export class RunReactionsModule {
  static forRoot(settings: DeliverySettings): DynamicModule {
    return {
      module: RunReactionsModule,
      imports: [AuditModule],
      controllers: [TriggersHandlers, NotificationsHandlers],
      providers: [
        { provide: DELIVERY_SETTINGS, useValue: settings },
        TriggersService,
        NotificationsService,
        DeliveryLoop,
        RunOutcomesConsumer,
        WorkflowDeletionsConsumer,
      ],
    };
  }
}
