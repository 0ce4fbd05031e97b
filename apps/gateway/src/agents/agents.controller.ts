import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  Rpc,
  createAgentSchema,
  linkAgentToolSchema,
  listQuerySchema,
  parseRequest,
  updateAgentSchema,
  type AgentToolView,
  type AgentView,
  type Page,
  type RequestContext,
} from '@flowstack/contracts';
import { RpcClient } from '@flowstack/messaging';
import { Ctx } from '../auth/request-context';

/** `/api/v1/agents` and their tool links: editors build, every member reads. */
@Controller('api/v1/agents')
export class AgentsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  create(@Body() body: unknown, @Ctx() ctx: RequestContext): Promise<AgentView> {
    return this.rpc.request(Rpc.registry.agentCreate, parseRequest(createAgentSchema, body), ctx);
  }

  @Get()
  list(@Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<AgentView>> {
    return this.rpc.request(Rpc.registry.agentList, parseRequest(listQuerySchema, query), ctx);
  }

  @Get(':id')
  get(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<AgentView> {
    return this.rpc.request(Rpc.registry.agentGet, { id }, ctx);
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<AgentView> {
    return this.rpc.request(Rpc.registry.agentUpdate, { ...parseRequest(updateAgentSchema, body), id }, ctx);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.registry.agentDelete, { id }, ctx);
  }

  @Post(':id/tools')
  link(@Param('id') id: string, @Body() body: unknown, @Ctx() ctx: RequestContext): Promise<AgentToolView> {
    const { toolId } = parseRequest(linkAgentToolSchema, body);
    return this.rpc.request(Rpc.registry.agentToolLink, { agentId: id, toolId }, ctx);
  }

  @Get(':id/tools')
  tools(@Param('id') id: string, @Query() query: unknown, @Ctx() ctx: RequestContext): Promise<Page<AgentToolView>> {
    return this.rpc.request(Rpc.registry.agentToolList, { ...parseRequest(listQuerySchema, query), agentId: id }, ctx);
  }

  @Delete(':id/tools/:toolId')
  @HttpCode(204)
  async unlink(@Param('id') id: string, @Param('toolId') toolId: string, @Ctx() ctx: RequestContext): Promise<void> {
    await this.rpc.request(Rpc.registry.agentToolUnlink, { agentId: id, toolId }, ctx);
  }
}
