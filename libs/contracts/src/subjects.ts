import { REGISTRY_AGENT_SUBJECTS } from './registry-agents.subjects';
import { EXECUTION_CATEGORY } from './execution-events';

/**
 * NATS subjects and JetStream stream names.
 *
 * Every name is built under a namespace (`FLOWSTACK_NS`): empty in production, so subjects read
 * exactly as ARCHITECTURE.md names them (`registry.workflow.create`), and unique per test file or
 * benchmark run, so isolated environments can share one NATS server without seeing each other.
 */
export interface Namespace {
  readonly prefix: string;
}

export const namespaceOf = (prefix = ''): Namespace => ({ prefix: prefix.replace(/\.$/, '') });

/** Prefixes a subject with the namespace (`ns.registry.workflow.create`). */
export const subject = (ns: Namespace, name: string): string => (ns.prefix ? `${ns.prefix}.${name}` : name);

/** JetStream stream names, prefixed the same way (`NS_EVENTS`). */
export const streamName = (ns: Namespace, name: 'EVENTS' | 'WORK' | 'RESULTS'): string =>
  ns.prefix ? `${ns.prefix.replace(/[^A-Za-z0-9_-]/g, '_')}_${name}` : name;

import { AuditRpc } from './audit-schemas';
import { OidcRpc } from './oidc-subjects';
import { NotificationRpc, SchedulerRpc, TriggerRpc, WebhookRpc } from './scheduler-subjects';
import { BillingRpc } from './billing-subjects';
import { ExecutionHistoryRpc } from './execution-history';
import { AgentProgressRpc } from './agent-progress';
import { RegistryToolRunRpc, ToolRunnerRpc } from './mcp';

/** Request-reply subjects (core NATS, one queue group per service). */
export const Rpc = {
  identity: {
    register: 'identity.auth.register',
    login: 'identity.auth.login',
    logout: 'identity.auth.logout',
    me: 'identity.auth.me',
    /** Verifies a bearer token and resolves the active workspace and role. */
    resolve: 'identity.auth.resolve',
  },
  registry: {
    workflowCreate: 'registry.workflow.create',
    workflowGet: 'registry.workflow.get',
    workflowList: 'registry.workflow.list',
    workflowUpdate: 'registry.workflow.update',
    workflowDelete: 'registry.workflow.delete',
    workflowVersionGet: 'registry.workflow.version.get',
    /** Pages a workflow's saved versions, newest first, without their graphs: `WorkflowVersionsListPayload` -> `Page<WorkflowVersionSummary>`. */
    workflowVersionsList: 'registry.workflow.versions.list',
    ...REGISTRY_AGENT_SUBJECTS,
    /** MCP discovery records and `/tools/{id}/test` audit records (`mcp.ts`); the gateway calls them. */
    ...RegistryToolRunRpc,
  },
  orchestrator: {
    executionStart: 'orchestrator.execution.start',
    /** Many starts of one workspace, each under its own id: `StartExecutionBatchPayload` -> `StartExecutionBatchResult`. */
    executionStartBatch: 'orchestrator.execution.startBatch',
    executionGet: 'orchestrator.execution.get',
    executionEvents: 'orchestrator.execution.events',
    /** Pages the caller's workspace's dead letters (admins only): `DeadLetterListPayload` -> `DeadLetterPage`. */
    deadLetterList: 'orchestrator.deadLetter.list',
    /** Starts an agent invoke's execution (an inline one-node graph): `AgentInvokeStartPayload` -> `{ executionId, status }`. */
    agentInvoke: 'orchestrator.agent.invoke',
  },
  /**
   * Cancel and human-gate decisions, served by the orchestrator (`ExecutionControlHandlers`):
   * `CancelExecutionPayload` / `DecideApprovalPayload` -> `ExecutionView`.
   */
  executionControl: {
    cancel: 'orchestrator.execution.cancel',
    decideApproval: 'orchestrator.execution.approval.decide',
    /** `RetryExecutionPayload` -> `ExecutionView`: a failed run runs again from its unfinished nodes. */
    retry: 'orchestrator.execution.retry',
    /** `ForkExecutionPayload` -> `ForkExecutionResult`: a new run of the same version from a node. */
    fork: 'orchestrator.execution.fork',
  },
  /**
   * Identity's workspaces, members and invitations (`workspace-schemas.ts`). All act in the
   * context's workspace except `create`, `listMine`, `invitationAccept` and `invitationDecline`,
   * which are about the calling user.
   */
  workspaces: {
    create: 'identity.workspace.create',
    listMine: 'identity.workspace.listMine',
    rename: 'identity.workspace.rename',
    memberList: 'identity.member.list',
    memberChangeRole: 'identity.member.changeRole',
    memberRemove: 'identity.member.remove',
    invitationCreate: 'identity.invitation.create',
    invitationList: 'identity.invitation.list',
    invitationRevoke: 'identity.invitation.revoke',
    invitationAccept: 'identity.invitation.accept',
    invitationDecline: 'identity.invitation.decline',
  },
  /** Identity's API keys (`api-key-schemas.ts`), in the context's workspace; `touch` from gateways. */
  apiKeys: {
    create: 'identity.apiKey.create',
    list: 'identity.apiKey.list',
    revoke: 'identity.apiKey.revoke',
    /** Last-used times, batched by each gateway. */
    touch: 'identity.apiKey.touch',
  },
  scheduler: { ...SchedulerRpc, ...WebhookRpc, ...TriggerRpc, ...NotificationRpc },
  billing: BillingRpc,
  /** The execution history (`execution-history.ts`), served by the orchestrator's history projection. */
  executionHistory: ExecutionHistoryRpc,
  /** Identity's OIDC login (`oidc-subjects.ts`). */
  oidc: OidcRpc,
  /** Identity's reader of the audit log (`audit-schemas.ts`). */
  audit: AuditRpc,
  /** The durable agent loop (`agent-progress.ts`): served by the orchestrator, called by tool-runners only. */
  agentProgress: AgentProgressRpc,
  /** The tool-runner's `/tools/{id}/test` and `/discover` (`mcp.ts`); the gateway calls them. */
  toolRunner: ToolRunnerRpc,
} as const;

/**
 * `control.cancel.<executionId>` (core NATS, not stored): the orchestrator publishes it once an
 * execution is cancelled, and every tool-runner aborts that execution's running attempts.
 */
export const cancelSubject = (ns: Namespace, executionId: string): string => subject(ns, `control.cancel.${executionId}`);

/** Every cancel signal (what a tool-runner subscribes to). */
export const cancelSubjects = (ns: Namespace): string => subject(ns, 'control.cancel.*');

/**
 * `events.<workspaceId>.<category>.<EventType>` on the EVENTS stream. Execution events carry a fifth
 * token, whether they may settle credit holds (`settles`: a node's or a run's end in a run with
 * costed nodes; `none` otherwise): billing's one settlement consumer filters on it
 * (`settlingEventsSubject`), so the events of free runs never reach billing. NATS 2.9 gives a
 * consumer one filter subject, so the types a consumer needs must share a token to share a consumer.
 */
export const eventSubject = (ns: Namespace, workspaceId: string, category: string, type: string, settles = false): string =>
  subject(
    ns,
    category === EXECUTION_CATEGORY
      ? `events.${workspaceId}.${category}.${type}.${settles ? 'settles' : 'none'}`
      : `events.${workspaceId}.${category}.${type}`,
  );

/** Every execution event of one type, whatever it settles (`events.*.execution.<Type>.*`): a consumer's filter. */
export const executionEventSubjects = (ns: Namespace, type: string): string => subject(ns, `events.*.execution.${type}.*`);

/** Every execution event that may settle credit holds, of every type (`events.*.execution.*.settles`). */
export const settlingEventsSubject = (ns: Namespace): string => subject(ns, 'events.*.execution.*.settles');

/** `work.<nodeKind>` on the WORK stream. */
export const workSubject = (ns: Namespace, nodeKind: string): string => subject(ns, `work.${nodeKind}`);

/** `chunks.<workspaceId>.<executionId>.<nodeId>` (core NATS, not stored): an agent_call node's token chunks. */
export const chunkSubject = (ns: Namespace, workspaceId: string, executionId: string, nodeId: string): string =>
  subject(ns, `chunks.${workspaceId}.${executionId}.${nodeId}`);

/** Every token chunk (what a gateway replica subscribes to). */
export const chunkSubjects = (ns: Namespace): string => subject(ns, 'chunks.*.*.*');

/** `logs.<workspaceId>.<executionId>.<nodeId>` (core NATS, not stored): a sandboxed tool's stdout/stderr lines. */
export const logSubject = (ns: Namespace, workspaceId: string, executionId: string, nodeId: string): string =>
  subject(ns, `logs.${workspaceId}.${executionId}.${nodeId}`);

/** Every log line (what a gateway replica subscribes to). */
export const logSubjects = (ns: Namespace): string => subject(ns, 'logs.*.*.*');

/** `results.<executionId>` on the RESULTS stream. */
export const resultSubject = (ns: Namespace, executionId: string): string => subject(ns, `results.${executionId}`);
