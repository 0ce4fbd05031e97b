import {
  GATEWAY_AGENT_SUBJECTS,
  GATEWAY_BILLING_SUBJECTS,
  ORCHESTRATOR_BILLING_SUBJECTS,
  RegistryToolRunRpc,
  Rpc,
  TOOL_RUNNER_AGENT_SUBJECTS,
  cancelSubjects,
  chunkSubjects,
  logSubjects,
  streamName,
  subject,
  type Namespace,
} from '@flowstack/contracts';
import { authBucketName, authStreamName, type AuthBucket } from './auth-feed/auth-buckets';
import { valuesBucketName, valuesStreamName } from './claim-check/values-bucket';
import { rateLimitBucketName } from './auth-feed/rate-limit-bucket';

/** The services that connect to the bus, one NATS user each. */
export const BUS_SERVICES = ['identity', 'registry', 'orchestrator', 'tool-runner', 'scheduler', 'billing', 'gateway'] as const;
export type BusService = (typeof BUS_SERVICES)[number];

/** What one service may publish and subscribe to (NATS subject patterns). */
export interface SubjectPermissions {
  publish: string[];
  subscribe: string[];
  /** May answer requests it received (publish once to their reply subject): the RPC servers. */
  allowResponses: boolean;
}

type StreamKey = 'EVENTS' | 'WORK' | 'RESULTS';

/** Where replies to this connection's requests (and JetStream acks and deliveries) arrive; nats.js's default. */
export const INBOX_PREFIX = '_INBOX';

/**
 * The JetStream API a service needs on one stream: look it up and create it (every service ensures
 * the streams it uses at start-up, `ensureStreams`), and, for a consumer of the stream, create,
 * read, update and delete its consumers, pull from them and ack what it pulled.
 */
function streamApi(ns: Namespace, key: StreamKey, consume: boolean): string[] {
  const name = streamName(ns, key);
  const api = [`$JS.API.STREAM.INFO.${name}`, `$JS.API.STREAM.CREATE.${name}`];
  if (!consume) return api;
  return [
    ...api,
    // CREATE.<stream> (no name), LIST and NAMES; then CREATE/INFO/DELETE.<stream>.<consumer>[.<filter>].
    `$JS.API.CONSUMER.*.${name}`,
    `$JS.API.CONSUMER.*.${name}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${name}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${name}.>`,
    `$JS.ACK.${name}.>`,
  ];
}

const rpc = (ns: Namespace, names: readonly string[]): string[] => names.map((n) => subject(ns, n));

/**
 * The claim-check values (JetStream's object store, bucket `<ns>_VALUES`): create and look up the
 * bucket's stream, write chunks and metadata, purge the chunks of a replaced object, and read an
 * object back through an ordered consumer (created, pulled from and flow-controlled by the reader).
 */
const valuesApi = (ns: Namespace): string[] => {
  const stream = valuesStreamName(ns);
  return [
    `$O.${valuesBucketName(ns)}.>`,
    `$JS.API.STREAM.*.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$JS.API.CONSUMER.*.${stream}`,
    `$JS.API.CONSUMER.*.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.>`,
    `$JS.FC.${stream}.>`,
  ];
};

/** The registry's audit event categories (the stream id's prefix: `workflow-<id>`, `agent-<id>`...). */
const REGISTRY_EVENT_CATEGORIES = ['workflow', 'credential', 'agent', 'tool', 'settings'] as const;

const AUTH_BUCKETS: readonly AuthBucket[] = ['REVOCATIONS', 'MEMBERSHIPS', 'API_KEYS'];

/**
 * The auth feed's KV buckets (`<ns>_REVOCATIONS`, `<ns>_MEMBERSHIPS`): look up and create their
 * streams (both sides ensure them at start-up) and watch them (an ordered push consumer: create,
 * read and delete it, answer its flow control). Identity also writes them (`$KV.<bucket>.>`) and
 * raises the revocations' max age (stream update); the gateway only reads.
 */
const authFeedApi = (ns: Namespace, write: boolean): string[] =>
  AUTH_BUCKETS.flatMap((bucket) => {
    const stream = authStreamName(ns, bucket);
    return [
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.STREAM.CREATE.${stream}`,
      `$JS.API.CONSUMER.*.${stream}`,
      `$JS.API.CONSUMER.*.${stream}.>`,
      `$JS.FC.${stream}.>`,
      ...(write ? [`$JS.API.STREAM.UPDATE.${stream}`, `$KV.${authBucketName(ns, bucket)}.>`] : []),
    ];
  });

/** The gateways' shared rate-limit counters (KV `<ns>_RATE_LIMITS`): create, get, conditional put. */
const rateLimitApi = (ns: Namespace): string[] => {
  const bucket = rateLimitBucketName(ns);
  const stream = `KV_${bucket}`;
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.STREAM.MSG.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}`,
    `$JS.API.DIRECT.GET.${stream}.>`,
    `$KV.${bucket}.>`,
  ];
};

/** Reading one stored message by sequence and deleting it: how a dead letter leaves its stream. */
const parkingApi = (ns: Namespace, key: StreamKey): string[] => [
  `$JS.API.STREAM.MSG.GET.${streamName(ns, key)}`,
  `$JS.API.DIRECT.GET.${streamName(ns, key)}`,
  `$JS.API.STREAM.MSG.DELETE.${streamName(ns, key)}`,
];

/** JetStream's advisory that a consumer of the stream gave up on a message (`max_deliver` reached). */
const maxDeliveriesAdvisories = (ns: Namespace, key: StreamKey): string =>
  `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${streamName(ns, key)}.*`;

/**
 * The scheduler: serves `scheduler.*`, writes its audit events (`events.*.schedule.>`,
 * `events.*.webhook.>`, `events.*.trigger.>`, `events.*.notification.>`), checks workflows in
 * the registry, starts (and looks up) the executions of its fires and triggers, and consumes the
 * ends of runs from EVENTS (its durable consumers `scheduler-outcome-completed`, `scheduler-outcome-failed`).
 */
const schedulerPermissions = (ns: Namespace, events: (category: string) => string): SubjectPermissions => ({
  publish: [
    events('schedule'),
    events('webhook'),
    events('trigger'),
    events('notification'),
    ...rpc(ns, [Rpc.registry.workflowGet, Rpc.registry.workflowVersionGet]),
    ...rpc(ns, [
      Rpc.orchestrator.executionStart,
      Rpc.orchestrator.executionStartBatch,
      Rpc.orchestrator.executionGet,
      Rpc.orchestrator.executionEvents,
    ]),
    '$JS.API.INFO',
    ...streamApi(ns, 'EVENTS', true),
  ],
  subscribe: [...rpc(ns, Object.values(Rpc.scheduler)), `${INBOX_PREFIX}.>`],
  allowResponses: true,
});

/**
 * Billing: serves `billing.*` (the gateway calls the reads and grants, only the orchestrator the
 * holds, charges and releases), writes the ledger's events (`events.*.credits.>`), and consumes the
 * execution events that may settle holds from EVENTS (its durable consumer `billing-settle` on
 * `events.*.execution.*.settles`).
 */
const billingPermissions = (ns: Namespace, events: (category: string) => string): SubjectPermissions => ({
  publish: [events('credits'), '$JS.API.INFO', ...streamApi(ns, 'EVENTS', true)],
  subscribe: [...rpc(ns, Object.values(Rpc.billing)), `${INBOX_PREFIX}.>`],
  allowResponses: true,
});

/**
 * The permission set of every service under a namespace (`FLOWSTACK_NS`; empty in production),
 * derived from the subjects each one really uses. Anything not listed is denied, so a stranger's
 * credentials cannot call a service, and a compromised tool-runner cannot forge a request to the
 * registry or an execution event. The gateway is the only caller that sets a workspace header from a
 * user's token; every other caller is a service acting for a request it already received.
 *
 * - RPC: a server subscribes to its own subjects (`allowResponses` lets it answer on the caller's
 *   inbox); a caller publishes to exactly the subjects it calls.
 * - EVENTS: `events.<workspaceId>.<category>.<EventType>`; each writer publishes only its own
 *   categories, except the orchestrator, whose outbox relay republishes the whole shared log.
 * - WORK and RESULTS: the orchestrator publishes tasks and consumes results; the tool-runner the other way round.
 * - `control.cancel.<executionId>` (core NATS): the orchestrator publishes, every tool-runner listens.
 * - `chunks.<workspaceId>.<executionId>.<nodeId>` (core NATS): tool-runners publish token chunks, every gateway listens.
 * - `orchestrator.agent.*` (request-reply): tool-runners record agent turns and tool calls; the orchestrator appends them.
 * - the auth feed (KV `REVOCATIONS`, `MEMBERSHIPS`): identity writes, every gateway watches.
 * - `_INBOX.>`: replies, JetStream publish acks and pulled messages all arrive on the inbox.
 *
 * A new subject, stream, consumer or event category must be added here; `bus-auth.e2e-spec.ts`
 * runs the platform under exactly these permissions and fails when one is missing.
 */
export function busPermissions(ns: Namespace): Record<BusService, SubjectPermissions> {
  const inbox = `${INBOX_PREFIX}.>`;
  const jsInfo = '$JS.API.INFO';
  const events = (category: string): string => subject(ns, `events.*.${category}.>`);
  return {
    identity: {
      publish: [events('user'), events('workspace'), jsInfo, ...streamApi(ns, 'EVENTS', false), ...authFeedApi(ns, true)],
      subscribe: [
        ...rpc(ns, Object.values(Rpc.identity)),
        ...rpc(ns, Object.values(Rpc.workspaces)),
        ...rpc(ns, Object.values(Rpc.apiKeys)),
        ...rpc(ns, Object.values(Rpc.oidc)),
        ...rpc(ns, Object.values(Rpc.audit)),
        inbox,
      ],
      allowResponses: true,
    },
    registry: {
      publish: [...REGISTRY_EVENT_CATEGORIES.map(events), jsInfo, ...streamApi(ns, 'EVENTS', false)],
      subscribe: [...rpc(ns, Object.values(Rpc.registry)), inbox],
      allowResponses: true,
    },
    orchestrator: {
      publish: [
        ...rpc(ns, [Rpc.registry.workflowVersionGet]),
        // A run's price snapshot at start: its agents and priced tools, and whether it has credit.
        ...rpc(ns, [Rpc.registry.agentGet, Rpc.registry.toolGet, Rpc.billing.creditsBalance]),
        ...rpc(ns, ORCHESTRATOR_BILLING_SUBJECTS),
        subject(ns, 'events.>'),
        subject(ns, 'work.>'),
        jsInfo,
        ...streamApi(ns, 'EVENTS', false),
        ...streamApi(ns, 'WORK', false),
        ...streamApi(ns, 'RESULTS', true),
        // Dead letters: read and remove a message JetStream gave up delivering (WORK, RESULTS).
        ...parkingApi(ns, 'WORK'),
        ...parkingApi(ns, 'RESULTS'),
        ...valuesApi(ns),
        cancelSubjects(ns),
      ],
      subscribe: [
        ...rpc(ns, Object.values(Rpc.orchestrator)),
        ...rpc(ns, Object.values(Rpc.executionControl)),
        ...rpc(ns, Object.values(Rpc.executionHistory)),
        // The durable agent loop: tool-runners record turns and tool calls, and read them back.
        ...rpc(ns, Object.values(Rpc.agentProgress)),
        maxDeliveriesAdvisories(ns, 'WORK'),
        maxDeliveriesAdvisories(ns, 'RESULTS'),
        inbox,
      ],
      allowResponses: true,
    },
    'tool-runner': {
      publish: [
        // Sealed credential values reach the tool-runner only: it alone opens them (`@flowstack/vault`).
        // With them, the reads an agent_call node needs (agent, its tools).
        ...rpc(ns, TOOL_RUNNER_AGENT_SUBJECTS),
        // The durable agent loop: each finished turn and tool call goes to the orchestrator, which
        // appends it to the execution's stream; a resumed loop reads them back.
        ...rpc(ns, Object.values(Rpc.agentProgress)),
        // Token chunks of agent_call nodes (core NATS); gateways fan them out to sockets.
        chunkSubjects(ns),
        // Output lines of python and shell tools (core NATS), fanned out like chunks.
        logSubjects(ns),
        subject(ns, 'results.>'),
        jsInfo,
        ...streamApi(ns, 'WORK', true),
        ...streamApi(ns, 'RESULTS', false),
        ...valuesApi(ns),
      ],
      // `/tools/{id}/test` and `/discover` (the gateway asks, any runner replica answers).
      subscribe: [cancelSubjects(ns), ...rpc(ns, Object.values(Rpc.toolRunner)), inbox],
      allowResponses: true,
    },
    scheduler: schedulerPermissions(ns, events),
    billing: billingPermissions(ns, events),
    gateway: {
      publish: [
        ...rpc(ns, GATEWAY_BILLING_SUBJECTS),
        ...rpc(ns, Object.values(Rpc.scheduler)),
        // Not `identity.auth.resolve`: the gateway verifies tokens itself, from the auth feed.
        ...rpc(ns, [Rpc.identity.register, Rpc.identity.login, Rpc.identity.logout, Rpc.identity.me]),
        ...rpc(ns, [
          Rpc.registry.workflowCreate,
          Rpc.registry.workflowGet,
          Rpc.registry.workflowList,
          Rpc.registry.workflowUpdate,
          Rpc.registry.workflowDelete,
          Rpc.registry.workflowVersionGet,
          Rpc.registry.workflowVersionsList,
        ]),
        ...rpc(ns, GATEWAY_AGENT_SUBJECTS),
        ...rpc(ns, Object.values(RegistryToolRunRpc)),
        ...rpc(ns, Object.values(Rpc.toolRunner)),
        // Not the batch start: its starts choose their execution ids, which only services may.
        ...rpc(
          ns,
          Object.values(Rpc.orchestrator).filter((name) => name !== Rpc.orchestrator.executionStartBatch),
        ),
        ...rpc(ns, Object.values(Rpc.executionControl)),
        ...rpc(ns, Object.values(Rpc.executionHistory)),
        ...rpc(ns, Object.values(Rpc.workspaces)),
        ...rpc(ns, Object.values(Rpc.apiKeys)),
        ...rpc(ns, Object.values(Rpc.oidc)),
        ...rpc(ns, Object.values(Rpc.audit)),
        jsInfo,
        ...streamApi(ns, 'EVENTS', true),
        ...valuesApi(ns),
        ...authFeedApi(ns, false),
        ...rateLimitApi(ns),
      ],
      subscribe: [inbox, chunkSubjects(ns), logSubjects(ns)],
      allowResponses: false,
    },
  };
}
