import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import { createAgentSchema, listQuerySchema, parseRequest, Rpc } from '@flowstack/contracts';
import type { RpcContext } from '@flowstack/messaging';
import { readScope, writeScope } from '@flowstack/orm';
import { toolRunnerScope } from '../credentials/credential-scope';
import { AgentRuntimeService } from './agent-runtime.service';
import { AgentToolsService } from './agent-tools.service';
import {
  agentIdSchema,
  agentToolLinkRequestSchema,
  agentToolListRequestSchema,
  agentToolUnlinkRequestSchema,
  updateAgentRequestSchema,
} from './agents.requests';
import { AgentsService } from './agents.service';

/** Answers `registry.agent.*` (`registry.agent.runtime` included) and `registry.agent.tool.*`. */
@Controller()
export class AgentsHandlers {
  constructor(
    private readonly agents: AgentsService,
    private readonly links: AgentToolsService,
    private readonly runtimes: AgentRuntimeService,
  ) {}

  @MessagePattern(Rpc.registry.agentCreate)
  create(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.agents.create(writeScope(ctx.requestContext, 'agents'), parseRequest(createAgentSchema, body));
  }

  @MessagePattern(Rpc.registry.agentGet)
  get(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.agents.get(readScope(ctx.requestContext), parseRequest(agentIdSchema, body).id);
  }

  /** The tool-runner's one read to run the agent (see `AgentRuntimeService`); any other actor is refused. */
  @MessagePattern(Rpc.registry.agentRuntime)
  runtime(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.runtimes.runtime(toolRunnerScope(ctx.requestContext), parseRequest(agentIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.agentList)
  list(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.agents.list(readScope(ctx.requestContext), parseRequest(listQuerySchema, body));
  }

  @MessagePattern(Rpc.registry.agentUpdate)
  update(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { id, ...changes } = parseRequest(updateAgentRequestSchema, body);
    return this.agents.update(writeScope(ctx.requestContext, 'agents'), id, changes);
  }

  @MessagePattern(Rpc.registry.agentDelete)
  remove(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    return this.agents.remove(writeScope(ctx.requestContext, 'agents'), parseRequest(agentIdSchema, body).id);
  }

  @MessagePattern(Rpc.registry.agentToolLink)
  link(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { agentId, toolId } = parseRequest(agentToolLinkRequestSchema, body);
    return this.links.link(writeScope(ctx.requestContext, 'agents'), agentId, toolId);
  }

  @MessagePattern(Rpc.registry.agentToolUnlink)
  unlink(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { agentId, toolId } = parseRequest(agentToolUnlinkRequestSchema, body);
    return this.links.unlink(writeScope(ctx.requestContext, 'agents'), agentId, toolId);
  }

  @MessagePattern(Rpc.registry.agentToolList)
  listTools(@Payload() body: unknown, @Ctx() ctx: RpcContext) {
    const { agentId, ...query } = parseRequest(agentToolListRequestSchema, body);
    return this.links.list(readScope(ctx.requestContext), agentId, query);
  }
}
