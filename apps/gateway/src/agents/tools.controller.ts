import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  Rpc,
  createToolSchema,
  listQuerySchema,
  parseRequest,
  updateToolSchema,
  type Page,
  type RequestContext,
  type ToolView,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `/api/v1/tools`: registered tools; editors build, every member reads. */
@Controller('api/v1/tools')
export class ToolsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ToolView> {
    return this.rpc.request(Rpc.registry.toolCreate, parseRequest(createToolSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<ToolView>> {
    return this.rpc.request(Rpc.registry.toolList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<ToolView> {
    return this.rpc.request(Rpc.registry.toolGet, { id }, ctx);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<ToolView> {
    return this.rpc.request(Rpc.registry.toolUpdate, { ...parseRequest(updateToolSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.registry.toolDelete, { id }, ctx);
  }
}
