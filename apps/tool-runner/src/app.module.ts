import { Module, type DynamicModule } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Namespace } from '@flowstack/contracts';
import { MessagingModule, NAMESPACE, NATS_CONNECTION, RpcClient, ValueStore, valueStoreProvider } from '@flowstack/messaging';
import { AgentCallExecutor } from './agents/agent-call.executor';
import { ChunkPublisher } from './agents/chunk.publisher';
import { TurnRecorder } from './agents/turn-recorder';
import { TOOL_RUNNER_CONFIG, type ToolRunnerConfig } from './tool-runner.config';
import { HttpToolExecutor } from './http/http-tool.executor';
import { NODE_EXECUTORS, type NodeExecutor } from './work/node-executor';
import { ToolNodeExecutor } from './work/tool-node.executor';
import { TaskValues } from './work/task-values';
import { WorkConsumer } from './work/work.consumer';
import { TaskCancellations } from './work/task-cancellations';
import { BuiltinToolRunner } from './builtin/builtin-tool.runner';
import { LogPublisher } from './logs/log.publisher';
import { DEFAULT_SANDBOX_HOST, Sandbox } from './sandbox/sandbox';
import { RegistrySandboxPolicy } from './sandbox/sandbox-policy';
import { SandboxedToolRunner } from './sandbox/sandboxed-tool.runner';
import { SecretResolver } from './secrets/secret-resolver';
import { ToolDispatcher } from './tools/tool-dispatcher';
import { McpSessionPool } from './mcp/mcp-session.pool';
import { McpTools } from './mcp/mcp-tools';
import { mcpStdioSwitch } from './mcp/mcp-stdio.switch';
import { RegisteredTools } from './tools/registered-tools';
import { ToolEndpointsHandlers } from './tools/tool-endpoints.handlers';

/** The tool-runner: pulls node tasks from WORK and publishes their results to RESULTS. */
@Module({})
export class ToolRunnerModule {
  static forRoot(config: ToolRunnerConfig): DynamicModule {
    return {
      module: ToolRunnerModule,
      imports: [
        MessagingModule.forRoot({
          serviceName: 'tool-runner',
          natsUrl: config.natsUrl,
          namespace: config.namespace,
          streams: ['WORK', 'RESULTS'],
        }),
      ],
      controllers: [ToolEndpointsHandlers],
      providers: [
        { provide: TOOL_RUNNER_CONFIG, useValue: config },
        {
          provide: McpSessionPool,
          useFactory: () => new McpSessionPool({ ...config.mcp, allowPrivateNetwork: config.allowPrivateNetwork }),
        },
        {
          provide: McpTools,
          inject: [RpcClient, McpSessionPool],
          useFactory: (rpc: RpcClient, pool: McpSessionPool) =>
            new McpTools({
              rpc,
              pool,
              ...(config.keyring ? { keyring: config.keyring } : {}),
              stdioAllowlist: config.mcp.stdioAllowlist,
              stdioEnabled: mcpStdioSwitch(rpc),
              secrets: new SecretResolver(rpc, config.keyring),
            }),
        },
        {
          // Every tool kind but mcp, for tool nodes, agent tools and /tools/{id}/test alike.
          provide: ToolDispatcher,
          inject: [HttpToolExecutor, RpcClient, NATS_CONNECTION, NAMESPACE],
          useFactory: (http: HttpToolExecutor, rpc: RpcClient, nc: NatsConnection, ns: Namespace) =>
            new ToolDispatcher({
              http,
              builtin: new BuiltinToolRunner(http),
              sandboxed: new SandboxedToolRunner({
                sandbox: new Sandbox(DEFAULT_SANDBOX_HOST),
                secrets: new SecretResolver(rpc, config.keyring),
                policy: new RegistrySandboxPolicy(rpc),
                logs: new LogPublisher(nc, ns),
              }),
            }),
        },
        {
          provide: RegisteredTools,
          inject: [RpcClient, ToolDispatcher, McpTools],
          useFactory: (rpc: RpcClient, tools: ToolDispatcher, mcp: McpTools) => new RegisteredTools(rpc, tools, mcp),
        },
        {
          provide: HttpToolExecutor,
          inject: [RpcClient],
          useFactory: (rpc: RpcClient) =>
            new HttpToolExecutor(config.allowPrivateNetwork, config.concurrency, new SecretResolver(rpc, config.keyring)),
        },
        {
          provide: NODE_EXECUTORS,
          inject: [
            HttpToolExecutor,
            RpcClient,
            NATS_CONNECTION,
            NAMESPACE,
            ValueStore,
            ToolDispatcher,
            RegisteredTools,
            McpTools,
          ],
          useFactory: (
            http: HttpToolExecutor,
            rpc: RpcClient,
            nc: NatsConnection,
            ns: Namespace,
            values: ValueStore,
            tools: ToolDispatcher,
            registered: RegisteredTools,
            mcp: McpTools,
          ) => {
            return new Map<string, NodeExecutor>([
              ['tool', new ToolNodeExecutor(tools, registered)],
              [
                'agent_call',
                new AgentCallExecutor({
                  rpc,
                  http,
                  prices: config.prices,
                  ...(config.keyring ? { keyring: config.keyring } : {}),
                  chunks: new ChunkPublisher(nc, ns),
                  allowPrivateNetwork: config.allowPrivateNetwork,
                  tools,
                  recorder: new TurnRecorder(rpc, values),
                  mcp,
                }),
              ],
            ]);
          },
        },
        valueStoreProvider,
        TaskValues,
        TaskCancellations,
        WorkConsumer,
      ],
    };
  }
}
