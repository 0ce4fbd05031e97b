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

import { SchedulerRpc, WebhookRpc } from './scheduler-subjects';

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
  },
  orchestrator: {
    executionStart: 'orchestrator.execution.start',
    executionGet: 'orchestrator.execution.get',
    executionEvents: 'orchestrator.execution.events',
    /** Pages the caller's workspace's dead letters (admins only): `DeadLetterListPayload` -> `DeadLetterPage`. */
    deadLetterList: 'orchestrator.deadLetter.list',
  },
  scheduler: { ...SchedulerRpc, ...WebhookRpc },
} as const;

/** `events.<workspaceId>.<category>.<EventType>` on the EVENTS stream. */
export const eventSubject = (ns: Namespace, workspaceId: string, category: string, type: string): string =>
  subject(ns, `events.${workspaceId}.${category}.${type}`);

/** `work.<nodeKind>` on the WORK stream. */
export const workSubject = (ns: Namespace, nodeKind: string): string => subject(ns, `work.${nodeKind}`);

/** `results.<executionId>` on the RESULTS stream. */
export const resultSubject = (ns: Namespace, executionId: string): string => subject(ns, `results.${executionId}`);
