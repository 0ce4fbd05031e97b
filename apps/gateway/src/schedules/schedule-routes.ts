import {
  createScheduleSchema,
  fireHistoryQuerySchema,
  fireViewSchema,
  listQuerySchema,
  nextFiresQuerySchema,
  nextFiresSchema,
  pageSchemaOf,
  scheduleViewSchema,
  updateScheduleSchema,
} from '@flowstack/contracts';
import type { ApiRoute } from '../docs/api-routes';

const route = (r: Omit<ApiRoute, 'tag' | 'auth'>): ApiRoute => ({ tag: 'schedules', auth: true, ...r });

/** The routes of `SchedulesController`, listed in `API_ROUTES`. */
export const SCHEDULE_ROUTES: readonly ApiRoute[] = [
  route({
    method: 'post',
    path: '/api/v1/schedules',
    summary: 'Create a cron, interval or one-shot schedule of a workflow',
    body: createScheduleSchema,
    status: 201,
    response: scheduleViewSchema,
    errors: [400, 401, 403, 404],
  }),
  route({
    method: 'get',
    path: '/api/v1/schedules',
    summary: 'List schedules, newest first (cursor page)',
    query: listQuerySchema,
    status: 200,
    response: pageSchemaOf(scheduleViewSchema),
    errors: [400, 401],
  }),
  route({
    method: 'get',
    path: '/api/v1/schedules/{id}',
    summary: 'One schedule',
    status: 200,
    response: scheduleViewSchema,
    errors: [401, 404],
  }),
  route({
    method: 'patch',
    path: '/api/v1/schedules/{id}',
    summary: 'Change a schedule (partial; a new timing starts from now)',
    body: updateScheduleSchema,
    status: 200,
    response: scheduleViewSchema,
    errors: [400, 401, 403, 404],
  }),
  route({
    method: 'delete',
    path: '/api/v1/schedules/{id}',
    summary: 'Delete a schedule (it never fires again)',
    status: 204,
    errors: [401, 403, 404],
  }),
  route({
    method: 'post',
    path: '/api/v1/schedules/{id}/pause',
    summary: 'Pause: no fires until resumed',
    status: 200,
    response: scheduleViewSchema,
    errors: [401, 403, 404],
  }),
  route({
    method: 'post',
    path: '/api/v1/schedules/{id}/resume',
    summary: 'Resume from now (what passed while paused does not fire)',
    status: 200,
    response: scheduleViewSchema,
    errors: [401, 403, 404],
  }),
  route({
    method: 'get',
    path: '/api/v1/schedules/{id}/next',
    summary: 'The next fire times',
    query: nextFiresQuerySchema,
    status: 200,
    response: nextFiresSchema,
    errors: [400, 401, 404],
  }),
  route({
    method: 'get',
    path: '/api/v1/schedules/{id}/history',
    summary: 'Every fire: slot, fired time, execution id, outcome (newest first)',
    query: fireHistoryQuerySchema,
    status: 200,
    response: pageSchemaOf(fireViewSchema),
    errors: [400, 401, 404],
  }),
];
