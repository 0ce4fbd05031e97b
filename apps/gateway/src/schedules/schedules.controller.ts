import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  Rpc,
  createScheduleSchema,
  fireHistoryQuerySchema,
  listQuerySchema,
  nextFiresQuerySchema,
  parseRequest,
  updateScheduleSchema,
  type FireView,
  type Page,
  type RequestContext,
  type ScheduleView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `/api/v1/schedules`: when workflows run by themselves, forwarded to the scheduler over NATS. */
@Controller('api/v1/schedules')
export class SchedulesController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ScheduleView> {
    return this.rpc.request(Rpc.scheduler.scheduleCreate, parseRequest(createScheduleSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<ScheduleView>> {
    return this.rpc.request(Rpc.scheduler.scheduleList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<ScheduleView> {
    return this.rpc.request(Rpc.scheduler.scheduleGet, { id }, ctx);
  }

  /** Partial update: the given fields replace the stored ones; the merged schedule is checked whole. */
  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ScheduleView> {
    return this.rpc.request(Rpc.scheduler.scheduleUpdate, { ...parseRequest(updateScheduleSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.scheduler.scheduleDelete, { id }, ctx);
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<ScheduleView> {
    return this.rpc.request(Rpc.scheduler.schedulePause, { id }, ctx);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<ScheduleView> {
    return this.rpc.request(Rpc.scheduler.scheduleResume, { id }, ctx);
  }

  @Get(':id/next')
  next(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<{ times: string[] }> {
    return this.rpc.request(Rpc.scheduler.scheduleNext, { ...parseRequest(nextFiresQuerySchema, query), id }, ctx);
  }

  @Get(':id/history')
  history(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<FireView>> {
    return this.rpc.request(Rpc.scheduler.scheduleHistory, { ...parseRequest(fireHistoryQuerySchema, query), id }, ctx);
  }
}
