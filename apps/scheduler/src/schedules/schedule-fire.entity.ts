import { defineEntity, p } from '@mikro-orm/postgresql';
import { FIRE_OUTCOMES } from '@flowstack/contracts';

const ScheduleFireSchema = defineEntity({
  name: 'ScheduleFire',
  schema: 'scheduler',
  tableName: 'schedule_fires',
  properties: {
    scheduleId: p.uuid().primary(),
    /** The instant the fire was due; unique with the schedule. */
    slot: p.datetime().primary(),
    workspaceId: p.uuid(),
    /** `fireExecutionId(schedule, slot)`; null when the fire started nothing. */
    executionId: p.uuid().nullable(),
    firedAt: p.datetime(),
    outcome: p.enum(FIRE_OUTCOMES),
    error: p.text().nullable(),
  },
});

/** One fire of a schedule, as its history shows it. */
export class ScheduleFire extends ScheduleFireSchema.class {}
ScheduleFireSchema.setClass(ScheduleFire);
