// Generated from the gateway OpenAPI document by tools/web-api-types.ts: do not edit.
export interface paths {
  '/api/docs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A page that renders this document for reading */
    get: operations['getApiDocs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/docs/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This OpenAPI 3.1 document */
    get: operations['getApiDocsOpenapiJson'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List an agents, newest first (cursor page) */
    get: operations['getApiV1Agents'];
    put?: never;
    /** Create an agent (editors) */
    post: operations['postApiV1Agents'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One an agent */
    get: operations['getApiV1AgentsId'];
    put?: never;
    post?: never;
    /** Soft-delete an agent (editors) */
    delete: operations['deleteApiV1AgentsId'];
    options?: never;
    head?: never;
    /** Change the given fields of an agent (editors; null clears an optional field) */
    patch: operations['patchApiV1AgentsId'];
    trace?: never;
  };
  '/api/v1/agents/{id}/invoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run the agent once on a conversation, as an execution (workflowId agent:<id>); JSON, or with stream: true Server-Sent Events (execution, token..., done | error) */
    post: operations['postApiV1AgentsIdInvoke'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}/tools': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The agent's linked tools, newest link first (cursor page) */
    get: operations['getApiV1AgentsIdTools'];
    put?: never;
    /** Link a tool of this workspace to the agent (409 when already linked) */
    post: operations['postApiV1AgentsIdTools'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/agents/{id}/tools/{toolId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Unlink a tool from the agent */
    delete: operations['deleteApiV1AgentsIdToolsToolId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace's audit trail, newest first (admins): identity, registry, scheduler and credit ledger events with actor */
    get: operations['getApiV1Audit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Log in: a token and the workspaces of the user */
    post: operations['postApiV1AuthLogin'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Revoke the token */
    post: operations['postApiV1AuthLogout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who you are and your workspaces */
    get: operations['getApiV1AuthMe'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/oidc/callback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the provider sends the browser back: with `Accept: application/json` the login answer; otherwise 302 to the web app with `#token=<jwt>` */
    get: operations['getApiV1AuthOidcCallback'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/oidc/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Start single sign-on: 302 to the identity provider (state, nonce, PKCE S256) and a state cookie; 404 when OIDC is not configured */
    get: operations['getApiV1AuthOidcLogin'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/oidc/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Whether single sign-on is configured: `{ enabled }` (the web app shows its SSO button when true) */
    get: operations['getApiV1AuthOidcStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/auth/register': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Create a user and their workspace (admin) */
    post: operations['postApiV1AuthRegister'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/credentials': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a credentials, newest first (cursor page) */
    get: operations['getApiV1Credentials'];
    put?: never;
    /** Create a credential (admins; the value is write-only) */
    post: operations['postApiV1Credentials'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/credentials/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One a credential */
    get: operations['getApiV1CredentialsId'];
    put?: never;
    post?: never;
    /** Soft-delete a credential (admins; the value is write-only) */
    delete: operations['deleteApiV1CredentialsId'];
    options?: never;
    head?: never;
    /** Change the given fields of a credential (admins; the value is write-only; null clears an optional field) */
    patch: operations['patchApiV1CredentialsId'];
    trace?: never;
  };
  '/api/v1/credits/balance': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace balance in micro-credits: posted, held, available */
    get: operations['getApiV1CreditsBalance'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/credits/grants': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Grant credits to the workspace (admins; micro-credits, idempotent by grantId) */
    post: operations['postApiV1CreditsGrants'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/credits/transactions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The ledger entries, newest first, each with its execution and node (cursor page) */
    get: operations['getApiV1CreditsTransactions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/dead-letters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Messages the platform parked instead of retrying forever (admins) */
    get: operations['getApiV1DeadLetters'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List runs, newest first: filter by workflowId, status, trigger, from/to (startedAt); cursor page */
    get: operations['getApiV1Executions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Execution state folded from its events */
    get: operations['getApiV1ExecutionsId'];
    put?: never;
    post?: never;
    /** Delete a finished run from history (editor): hidden from lists, its events kept */
    delete: operations['deleteApiV1ExecutionsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/approvals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Decide a waiting human gate (the gate's approverRole, default editor) */
    post: operations['postApiV1ExecutionsIdApprovals'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel a run (editor): unfinished nodes cancelled, running ones aborted; again: the same view */
    post: operations['postApiV1ExecutionsIdCancel'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The execution event log (the audit trail), paged */
    get: operations['getApiV1ExecutionsIdEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The whole run as JSON Lines with a SHA-256 hash chain: its events and the credit entries it caused */
    get: operations['getApiV1ExecutionsIdExport'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/fork': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Fork a run (editor): a new run of the same version from fromNodeId, the results before it copied */
    post: operations['postApiV1ExecutionsIdFork'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Retry a failed run (editor): its failed nodes and what follows run again, succeeded ones keep their outputs */
    post: operations['postApiV1ExecutionsIdRetry'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/executions/{id}/values/{sha256}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One value stored out of band, as JSON (ETag = its sha256) */
    get: operations['getApiV1ExecutionsIdValuesSha256'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness (alias) */
    get: operations['getApiV1Health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/health/liveness': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The process answers */
    get: operations['getApiV1HealthLiveness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/health/readiness': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The gateway reaches NATS */
    get: operations['getApiV1HealthReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/invitations/accept': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Accept an invitation sent to your email: you join with its role */
    post: operations['postApiV1InvitationsAccept'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/invitations/decline': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Decline an invitation sent to your email */
    post: operations['postApiV1InvitationsDecline'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notifications': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List notifications, newest first (cursor page) */
    get: operations['getApiV1Notifications'];
    put?: never;
    /** Notify a Slack, Discord or generic webhook URL when runs of a workflow complete or fail */
    post: operations['postApiV1Notifications'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/notifications/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One notification (its URL is never shown, only the host) */
    get: operations['getApiV1NotificationsId'];
    put?: never;
    post?: never;
    /** Delete a notification */
    delete: operations['deleteApiV1NotificationsId'];
    options?: never;
    head?: never;
    /** Change a notification (partial) */
    patch: operations['patchApiV1NotificationsId'];
    trace?: never;
  };
  '/api/v1/notifications/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every delivery with its attempts (status, error), newest first */
    get: operations['getApiV1NotificationsIdDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List schedules, newest first (cursor page) */
    get: operations['getApiV1Schedules'];
    put?: never;
    /** Create a cron, interval or one-shot schedule of a workflow */
    post: operations['postApiV1Schedules'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One schedule */
    get: operations['getApiV1SchedulesId'];
    put?: never;
    post?: never;
    /** Delete a schedule (it never fires again) */
    delete: operations['deleteApiV1SchedulesId'];
    options?: never;
    head?: never;
    /** Change a schedule (partial; a new timing starts from now) */
    patch: operations['patchApiV1SchedulesId'];
    trace?: never;
  };
  '/api/v1/schedules/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Every fire: slot, fired time, execution id, outcome (newest first) */
    get: operations['getApiV1SchedulesIdHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}/next': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The next fire times */
    get: operations['getApiV1SchedulesIdNext'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause: no fires until resumed */
    post: operations['postApiV1SchedulesIdPause'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/schedules/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume from now (what passed while paused does not fire) */
    post: operations['postApiV1SchedulesIdResume'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tools': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List a tools, newest first (cursor page) */
    get: operations['getApiV1Tools'];
    put?: never;
    /** Create a tool (editors) */
    post: operations['postApiV1Tools'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tools/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One a tool */
    get: operations['getApiV1ToolsId'];
    put?: never;
    post?: never;
    /** Soft-delete a tool (editors) */
    delete: operations['deleteApiV1ToolsId'];
    options?: never;
    head?: never;
    /** Change the given fields of a tool (editors; null clears an optional field) */
    patch: operations['patchApiV1ToolsId'];
    trace?: never;
  };
  '/api/v1/tools/{id}/discover': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** List an mcp tool's server tools and pin their definitions (409 for other kinds or an unreachable server) */
    post: operations['postApiV1ToolsIdDiscover'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/tools/{id}/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Run the tool once with args (audited); 200 { ok, output | error } also when the tool fails */
    post: operations['postApiV1ToolsIdTest'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List event triggers, newest first (cursor page) */
    get: operations['getApiV1Triggers'];
    put?: never;
    /** Start a workflow when a run of another completes or fails (optional JSONata condition and input mapping) */
    post: operations['postApiV1Triggers'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/triggers/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One event trigger */
    get: operations['getApiV1TriggersId'];
    put?: never;
    post?: never;
    /** Delete an event trigger */
    delete: operations['deleteApiV1TriggersId'];
    options?: never;
    head?: never;
    /** Change an event trigger (partial; null clears condition or input) */
    patch: operations['patchApiV1TriggersId'];
    trace?: never;
  };
  '/api/v1/triggers/{id}/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** What the trigger did about each source run: started, condition_false, depth_exceeded or failed (newest first) */
    get: operations['getApiV1TriggersIdHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Tokens, cost, runs, success rate and average duration of runs started in [from, to), by workflow, agent, model or day */
    get: operations['getApiV1Usage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List webhooks, newest first (cursor page), optionally one workflow's; secrets are never listed */
    get: operations['getApiV1Webhooks'];
    put?: never;
    /** Create a webhook of a workflow; the answer shows the signing secret, once */
    post: operations['postApiV1Webhooks'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/webhooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One webhook (without its secret) */
    get: operations['getApiV1WebhooksId'];
    put?: never;
    post?: never;
    /** Delete a webhook: its URL answers 404 from then on */
    delete: operations['deleteApiV1WebhooksId'];
    options?: never;
    head?: never;
    /** Enable or disable a webhook, or rotate its secret: the new secret is in this answer, once */
    patch: operations['patchApiV1WebhooksId'];
    trace?: never;
  };
  '/api/v1/workflows': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List workflows (cursor page) */
    get: operations['getApiV1Workflows'];
    put?: never;
    /** Create a workflow (version 1); the graph is validated */
    post: operations['postApiV1Workflows'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The current version of a workflow */
    get: operations['getApiV1WorkflowsId'];
    /** Save a new immutable version (version + 1) */
    put: operations['putApiV1WorkflowsId'];
    post?: never;
    /** Soft-delete a workflow */
    delete: operations['deleteApiV1WorkflowsId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/executions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One workflow's runs, newest first (same filters) */
    get: operations['getApiV1WorkflowsIdExecutions'];
    put?: never;
    /** Start a run; input is checked against input_schema */
    post: operations['postApiV1WorkflowsIdExecutions'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Saved versions of a workflow, newest first, without graphs (cursor page) */
    get: operations['getApiV1WorkflowsIdVersions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workflows/{id}/versions/{version}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One saved version with its graph */
    get: operations['getApiV1WorkflowsIdVersionsVersion'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspaces you belong to, with your role in each */
    get: operations['getApiV1Workspaces'];
    put?: never;
    /** Create a workspace; you are its admin */
    post: operations['postApiV1Workspaces'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Rename a workspace (admins) */
    patch: operations['patchApiV1WorkspacesId'];
    trace?: never;
  };
  '/api/v1/workspaces/{id}/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace's API keys with their prefix and last use, never the key (admins) */
    get: operations['getApiV1WorkspacesIdApiKeys'];
    put?: never;
    /** Create an API key (admins): the key is in this answer only; its role is at most yours */
    post: operations['postApiV1WorkspacesIdApiKeys'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces/{id}/api-keys/{keyId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Revoke an API key (admins): refused by every gateway within a second */
    delete: operations['deleteApiV1WorkspacesIdApiKeysKeyId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces/{id}/invitations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Pending invitations (admins) */
    get: operations['getApiV1WorkspacesIdInvitations'];
    put?: never;
    /** Invite an email with a role (admins); the single-use token is in this answer only */
    post: operations['postApiV1WorkspacesIdInvitations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces/{id}/invitations/{invitationId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Withdraw a pending invitation (admins) */
    delete: operations['deleteApiV1WorkspacesIdInvitationsInvitationId'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces/{id}/members': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The members of a workspace with their roles */
    get: operations['getApiV1WorkspacesIdMembers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/v1/workspaces/{id}/members/{userId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** Remove a member (admins); the last admin cannot be removed (409) */
    delete: operations['deleteApiV1WorkspacesIdMembersUserId'];
    options?: never;
    head?: never;
    /** Change a member's role (admins); the last admin cannot be demoted (409) */
    patch: operations['patchApiV1WorkspacesIdMembersUserId'];
    trace?: never;
  };
  '/api/v1/workspaces/{id}/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The workspace's switches: python and shell tools, and their network (all off until an admin enables them) */
    get: operations['getApiV1WorkspacesIdSettings'];
    /** Change switches (admins; the fields given change, the others stay; audited as WorkspaceSettingsChanged) */
    put: operations['putApiV1WorkspacesIdSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/hooks/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** A signed (or token) call: starts the workflow with the JSON body as input (HMAC-SHA256, 5 min tolerance, no replays; rate limited per webhook; 409 when disabled) */
    post: operations['postHooksId'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus metrics of this gateway process */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Problem: {
      /** @description machine-readable error code, e.g. `validation_failed`, `not_found` */
      code: string;
      correlationId?: string;
      detail: string;
      errors?: {
        edge?: {
          from: string;
          to: string;
        };
        message: string;
        nodeId?: string;
        path: string;
        rule?: string;
      }[];
      instance?: string;
      status: number;
      title: string;
      type: string;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getApiDocs: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description an HTML page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': unknown;
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiDocsOpenapiJson: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description an OpenAPI 3.1 document */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': unknown;
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Agents: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List an agents, newest first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              baseUrl?: string;
              costPerRun: number;
              createdAt: string;
              credentialId?: string;
              description?: string;
              id: string;
              maxSteps: number;
              model: string;
              name: string;
              parameters: {
                maxTokens?: number;
                stop?: string[];
                temperature?: number;
                topP?: number;
              };
              /** @enum {string} */
              provider: 'anthropic' | 'openai' | 'glm' | 'openai_compatible';
              slug: string;
              systemPrompt?: string;
              updatedAt: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Agents: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          baseUrl?: string;
          /** @default 0 */
          costPerRun?: number;
          /** Format: uuid */
          credentialId?: string;
          description?: string;
          /** @default 10 */
          maxSteps?: number;
          model: string;
          name: string;
          /** @default {} */
          parameters?: {
            maxTokens?: number;
            stop?: string[];
            temperature?: number;
            topP?: number;
          };
          /** @enum {string} */
          provider: 'anthropic' | 'openai' | 'glm' | 'openai_compatible';
          slug?: string;
          systemPrompt?: string;
        };
      };
    };
    responses: {
      /** @description Create an agent (editors) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            baseUrl?: string;
            costPerRun: number;
            createdAt: string;
            credentialId?: string;
            description?: string;
            id: string;
            maxSteps: number;
            model: string;
            name: string;
            parameters: {
              maxTokens?: number;
              stop?: string[];
              temperature?: number;
              topP?: number;
            };
            /** @enum {string} */
            provider: 'anthropic' | 'openai' | 'glm' | 'openai_compatible';
            slug: string;
            systemPrompt?: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1AgentsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One an agent */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            baseUrl?: string;
            costPerRun: number;
            createdAt: string;
            credentialId?: string;
            description?: string;
            id: string;
            maxSteps: number;
            model: string;
            name: string;
            parameters: {
              maxTokens?: number;
              stop?: string[];
              temperature?: number;
              topP?: number;
            };
            /** @enum {string} */
            provider: 'anthropic' | 'openai' | 'glm' | 'openai_compatible';
            slug: string;
            systemPrompt?: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1AgentsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Soft-delete an agent (editors) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1AgentsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          baseUrl?: string | null;
          costPerRun?: number;
          credentialId?: string | null;
          description?: string | null;
          maxSteps?: number;
          model?: string;
          name?: string;
          parameters?: {
            maxTokens?: number;
            stop?: string[];
            temperature?: number;
            topP?: number;
          };
          /** @enum {string} */
          provider?: 'anthropic' | 'openai' | 'glm' | 'openai_compatible';
          slug?: string;
          systemPrompt?: string | null;
        };
      };
    };
    responses: {
      /** @description Change the given fields of an agent (editors; null clears an optional field) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            baseUrl?: string;
            costPerRun: number;
            createdAt: string;
            credentialId?: string;
            description?: string;
            id: string;
            maxSteps: number;
            model: string;
            name: string;
            parameters: {
              maxTokens?: number;
              stop?: string[];
              temperature?: number;
              topP?: number;
            };
            /** @enum {string} */
            provider: 'anthropic' | 'openai' | 'glm' | 'openai_compatible';
            slug: string;
            systemPrompt?: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1AgentsIdInvoke: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          messages: {
            content: string;
            /** @enum {string} */
            role: 'system' | 'user' | 'assistant';
          }[];
          stream?: boolean;
        };
      };
    };
    responses: {
      /** @description Run the agent once on a conversation, as an execution (workflowId agent:<id>); JSON, or with stream: true Server-Sent Events (execution, token..., done | error) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            cost: number;
            error?: {
              code: string;
              message: string;
            };
            executionId: string;
            message?: {
              content: string;
              /** @constant */
              role: 'assistant';
            };
            /** @enum {string} */
            status: 'completed' | 'failed' | 'cancelled';
            steps?: number;
            usage: {
              inputTokens: number;
              model: string;
              outputTokens: number;
            };
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1AgentsIdTools: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The agent's linked tools, newest link first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              config: {
                [key: string]: unknown;
              };
              createdAt: string;
              description?: string;
              id: string;
              inputSchema: {
                [key: string]: unknown;
              };
              /** @enum {string} */
              kind: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
              linkedAt: string;
              mcp?: {
                discoveredAt: string;
                hash: string;
                tools: {
                  description?: string;
                  hash: string;
                  inputSchema: {
                    [key: string]: unknown;
                  };
                  name: string;
                  title?: string;
                }[];
              };
              modelName: string;
              name: string;
              updatedAt: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1AgentsIdTools: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          toolId: string;
        };
      };
    };
    responses: {
      /** @description Link a tool of this workspace to the agent (409 when already linked) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            config: {
              [key: string]: unknown;
            };
            createdAt: string;
            description?: string;
            id: string;
            inputSchema: {
              [key: string]: unknown;
            };
            /** @enum {string} */
            kind: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
            linkedAt: string;
            mcp?: {
              discoveredAt: string;
              hash: string;
              tools: {
                description?: string;
                hash: string;
                inputSchema: {
                  [key: string]: unknown;
                };
                name: string;
                title?: string;
              }[];
            };
            modelName: string;
            name: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1AgentsIdToolsToolId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        toolId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Unlink a tool from the agent */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Audit: {
    parameters: {
      query?: {
        actor?: string;
        cursor?: string;
        from?: string;
        limit?: number;
        to?: string;
        type?: string;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workspace's audit trail, newest first (admins): identity, registry, scheduler and credit ledger events with actor */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              actor:
                | ({
                    id: string;
                    type: string;
                  } & {
                    [key: string]: unknown;
                  })
                | null;
              correlationId: string | null;
              data: {
                [key: string]: unknown;
              };
              id: string;
              recordedAt: string;
              stream: string;
              type: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1AuthLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Log in: a token and the workspaces of the user */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description bearer token: send it as `Authorization: Bearer <token>` */
            token: string;
            user: {
              email: string;
              id: string;
              name?: string;
            };
            workspace?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            };
            workspaces?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            }[];
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `rate_limited` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1AuthLogout: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoke the token */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1AuthMe: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Who you are and your workspaces */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            user?: {
              email: string;
              id: string;
              name?: string;
            };
            workspaces?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            }[];
          } & {
            [key: string]: unknown;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1AuthOidcCallback: {
    parameters: {
      query?: {
        code?: string;
        error?: string;
        error_description?: string;
        iss?: string;
        state?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Where the provider sends the browser back: with `Accept: application/json` the login answer; otherwise 302 to the web app with `#token=<jwt>` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description bearer token: send it as `Authorization: Bearer <token>` */
            token: string;
            user: {
              email: string;
              id: string;
              name?: string;
            };
            workspace?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            };
            workspaces?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            }[];
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1AuthOidcLogin: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description a redirect to the identity provider (`Location`) */
      302: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': unknown;
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1AuthOidcStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Whether single sign-on is configured: `{ enabled }` (the web app shows its SSO button when true) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            enabled: boolean;
          };
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1AuthRegister: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          name?: string;
          password: string;
        };
      };
    };
    responses: {
      /** @description Create a user and their workspace (admin) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @description bearer token: send it as `Authorization: Bearer <token>` */
            token: string;
            user: {
              email: string;
              id: string;
              name?: string;
            };
            workspace?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            };
            workspaces?: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            }[];
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `rate_limited` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Credentials: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List a credentials, newest first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              createdAt: string;
              description?: string;
              id: string;
              keyVersion: number;
              /** @enum {string} */
              kind: 'api_key' | 'bearer_token' | 'basic_auth' | 'header' | 'mcp_headers';
              name: string;
              updatedAt: string;
              valueUpdatedAt: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Credentials: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          description?: string;
          /** @enum {string} */
          kind: 'api_key' | 'bearer_token' | 'basic_auth' | 'header' | 'mcp_headers';
          name: string;
          value: unknown;
        };
      };
    };
    responses: {
      /** @description Create a credential (admins; the value is write-only) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            description?: string;
            id: string;
            keyVersion: number;
            /** @enum {string} */
            kind: 'api_key' | 'bearer_token' | 'basic_auth' | 'header' | 'mcp_headers';
            name: string;
            updatedAt: string;
            valueUpdatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1CredentialsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One a credential */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            description?: string;
            id: string;
            keyVersion: number;
            /** @enum {string} */
            kind: 'api_key' | 'bearer_token' | 'basic_auth' | 'header' | 'mcp_headers';
            name: string;
            updatedAt: string;
            valueUpdatedAt: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1CredentialsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Soft-delete a credential (admins; the value is write-only) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1CredentialsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          description?: string | null;
          /** @enum {string} */
          kind?: 'api_key' | 'bearer_token' | 'basic_auth' | 'header' | 'mcp_headers';
          name?: string;
          value?: unknown;
        };
      };
    };
    responses: {
      /** @description Change the given fields of a credential (admins; the value is write-only; null clears an optional field) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            description?: string;
            id: string;
            keyVersion: number;
            /** @enum {string} */
            kind: 'api_key' | 'bearer_token' | 'basic_auth' | 'header' | 'mcp_headers';
            name: string;
            updatedAt: string;
            valueUpdatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1CreditsBalance: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workspace balance in micro-credits: posted, held, available */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            available: number;
            held: number;
            posted: number;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1CreditsGrants: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          amount: number;
          grantId?: string;
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Grant credits to the workspace (admins; micro-credits, idempotent by grantId) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            available: number;
            held: number;
            posted: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1CreditsTransactions: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The ledger entries, newest first, each with its execution and node (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              amount: number;
              at: string;
              available?: number;
              causationEventId?: string;
              executionId?: string;
              expiresAt?: string;
              grantedBy?: string;
              grantId?: string;
              holdId?: string;
              nodeId?: string;
              position: number;
              reason?: string;
              /** @enum {string} */
              type:
                'CreditsGranted' | 'CreditsHeld' | 'CreditsHoldRefused' | 'CreditsCharged' | 'CreditsReleased' | 'HoldExpired';
              uncollected?: number;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1DeadLetters: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Messages the platform parked instead of retrying forever (admins) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              consumer: string;
              deliveries: number;
              error: string;
              executionId?: string;
              id: string;
              nodeId?: string;
              payloadBytes: number;
              payloadPrefix: string;
              recordedAt: string;
              sequence: number;
              /** @enum {string} */
              source: 'results' | 'work' | 'relay';
              stream: string;
              subject: string;
              taskId?: string;
            }[];
            nextCursor: string | null;
            total: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Executions: {
    parameters: {
      query?: {
        cursor?: string;
        from?: string;
        limit?: number;
        status?: string;
        to?: string;
        trigger?: string;
        workflowId?: string;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List runs, newest first: filter by workflowId, status, trigger, from/to (startedAt); cursor page */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              durationMs: number | null;
              errorCode: string | null;
              finishedAt: string | null;
              id: string;
              parentId: string | null;
              startedAt: string;
              /** @enum {string} */
              status: 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
              totalCost: number;
              trigger: {
                by: string | null;
                /** @enum {string} */
                type: 'manual' | 'api' | 'schedule' | 'webhook' | 'event' | 'sub_workflow';
              };
              workflowId: string;
              workflowVersion: number;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1ExecutionsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Execution state folded from its events */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            cancellation?: {
              by: string;
              reason: string | null;
            };
            children?: {
              attempt: number;
              executionId: string;
              nodeId: string;
              startedAt: string;
              /** @enum {string} */
              status: 'running' | 'completed' | 'failed' | 'cancelled';
              workflowId: string;
              workflowVersion: number;
            }[];
            deletedAt?: string;
            durationMs?: number;
            error?: {
              code: string;
              message: string;
            } & {
              [key: string]: unknown;
            };
            finishedAt?: string;
            forkedFrom?: {
              executionId: string;
              fromNodeId: string;
            };
            id: string;
            input: unknown;
            nodes: {
              [key: string]: {
                approval?: {
                  /** @enum {string} */
                  approverRole: 'viewer' | 'editor' | 'admin';
                  dueAt?: string;
                  /** @enum {string} */
                  onTimeout?: 'approved' | 'rejected';
                  prompt: string;
                  requestedAt: string;
                };
                attempts: number;
                copiedFrom?: {
                  executionId: string;
                  seq: number;
                };
                durationMs?: number;
                error?: {
                  code: string;
                  message: string;
                } & {
                  [key: string]: unknown;
                };
                finishedAt?: string;
                nextAttempt?: {
                  attempt: number;
                  dueAt: string;
                };
                output?: unknown;
                startedAt?: string;
                status: string;
              };
            };
            output: unknown;
            parent?: {
              attempt: number;
              depth: number;
              executionId: string;
              nodeId: string;
            };
            queue?: {
              position: number;
              queuedAt: string;
            };
            retries?: number;
            startedAt: string;
            /** @enum {string} */
            status: 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
            totalCost: number;
            workflowId: string;
            workflowVersion: number;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1ExecutionsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delete a finished run from history (editor): hidden from lists, its events kept */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1ExecutionsIdApprovals: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          comment?: string;
          /** @enum {string} */
          decision: 'approved' | 'rejected';
          nodeId: string;
        };
      };
    };
    responses: {
      /** @description Decide a waiting human gate (the gate's approverRole, default editor) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            cancellation?: {
              by: string;
              reason: string | null;
            };
            children?: {
              attempt: number;
              executionId: string;
              nodeId: string;
              startedAt: string;
              /** @enum {string} */
              status: 'running' | 'completed' | 'failed' | 'cancelled';
              workflowId: string;
              workflowVersion: number;
            }[];
            deletedAt?: string;
            durationMs?: number;
            error?: {
              code: string;
              message: string;
            } & {
              [key: string]: unknown;
            };
            finishedAt?: string;
            forkedFrom?: {
              executionId: string;
              fromNodeId: string;
            };
            id: string;
            input: unknown;
            nodes: {
              [key: string]: {
                approval?: {
                  /** @enum {string} */
                  approverRole: 'viewer' | 'editor' | 'admin';
                  dueAt?: string;
                  /** @enum {string} */
                  onTimeout?: 'approved' | 'rejected';
                  prompt: string;
                  requestedAt: string;
                };
                attempts: number;
                copiedFrom?: {
                  executionId: string;
                  seq: number;
                };
                durationMs?: number;
                error?: {
                  code: string;
                  message: string;
                } & {
                  [key: string]: unknown;
                };
                finishedAt?: string;
                nextAttempt?: {
                  attempt: number;
                  dueAt: string;
                };
                output?: unknown;
                startedAt?: string;
                status: string;
              };
            };
            output: unknown;
            parent?: {
              attempt: number;
              depth: number;
              executionId: string;
              nodeId: string;
            };
            queue?: {
              position: number;
              queuedAt: string;
            };
            retries?: number;
            startedAt: string;
            /** @enum {string} */
            status: 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
            totalCost: number;
            workflowId: string;
            workflowVersion: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1ExecutionsIdCancel: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Cancel a run (editor): unfinished nodes cancelled, running ones aborted; again: the same view */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            cancellation?: {
              by: string;
              reason: string | null;
            };
            children?: {
              attempt: number;
              executionId: string;
              nodeId: string;
              startedAt: string;
              /** @enum {string} */
              status: 'running' | 'completed' | 'failed' | 'cancelled';
              workflowId: string;
              workflowVersion: number;
            }[];
            deletedAt?: string;
            durationMs?: number;
            error?: {
              code: string;
              message: string;
            } & {
              [key: string]: unknown;
            };
            finishedAt?: string;
            forkedFrom?: {
              executionId: string;
              fromNodeId: string;
            };
            id: string;
            input: unknown;
            nodes: {
              [key: string]: {
                approval?: {
                  /** @enum {string} */
                  approverRole: 'viewer' | 'editor' | 'admin';
                  dueAt?: string;
                  /** @enum {string} */
                  onTimeout?: 'approved' | 'rejected';
                  prompt: string;
                  requestedAt: string;
                };
                attempts: number;
                copiedFrom?: {
                  executionId: string;
                  seq: number;
                };
                durationMs?: number;
                error?: {
                  code: string;
                  message: string;
                } & {
                  [key: string]: unknown;
                };
                finishedAt?: string;
                nextAttempt?: {
                  attempt: number;
                  dueAt: string;
                };
                output?: unknown;
                startedAt?: string;
                status: string;
              };
            };
            output: unknown;
            parent?: {
              attempt: number;
              depth: number;
              executionId: string;
              nodeId: string;
            };
            queue?: {
              position: number;
              queuedAt: string;
            };
            retries?: number;
            startedAt: string;
            /** @enum {string} */
            status: 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
            totalCost: number;
            workflowId: string;
            workflowVersion: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1ExecutionsIdEvents: {
    parameters: {
      query?: {
        cursor?: string;
        fromSeq?: number;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The execution event log (the audit trail), paged */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              data: unknown;
              metadata: {
                [key: string]: unknown;
              };
              recordedAt: string;
              seq: number;
              type: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1ExecutionsIdExport: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description one canonical JSON object per line: header, events, credit entries, end; each with line, prevHash, hash */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/x-ndjson': unknown;
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1ExecutionsIdFork: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          fromNodeId: string;
          input?: unknown;
        };
      };
    };
    responses: {
      /** @description Fork a run (editor): a new run of the same version from fromNodeId, the results before it copied */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            copiedNodes: string[];
            executionId: string;
            forkedFrom: {
              executionId: string;
              fromNodeId: string;
            };
            status: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1ExecutionsIdRetry: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          reason?: string;
        };
      };
    };
    responses: {
      /** @description Retry a failed run (editor): its failed nodes and what follows run again, succeeded ones keep their outputs */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            cancellation?: {
              by: string;
              reason: string | null;
            };
            children?: {
              attempt: number;
              executionId: string;
              nodeId: string;
              startedAt: string;
              /** @enum {string} */
              status: 'running' | 'completed' | 'failed' | 'cancelled';
              workflowId: string;
              workflowVersion: number;
            }[];
            deletedAt?: string;
            durationMs?: number;
            error?: {
              code: string;
              message: string;
            } & {
              [key: string]: unknown;
            };
            finishedAt?: string;
            forkedFrom?: {
              executionId: string;
              fromNodeId: string;
            };
            id: string;
            input: unknown;
            nodes: {
              [key: string]: {
                approval?: {
                  /** @enum {string} */
                  approverRole: 'viewer' | 'editor' | 'admin';
                  dueAt?: string;
                  /** @enum {string} */
                  onTimeout?: 'approved' | 'rejected';
                  prompt: string;
                  requestedAt: string;
                };
                attempts: number;
                copiedFrom?: {
                  executionId: string;
                  seq: number;
                };
                durationMs?: number;
                error?: {
                  code: string;
                  message: string;
                } & {
                  [key: string]: unknown;
                };
                finishedAt?: string;
                nextAttempt?: {
                  attempt: number;
                  dueAt: string;
                };
                output?: unknown;
                startedAt?: string;
                status: string;
              };
            };
            output: unknown;
            parent?: {
              attempt: number;
              depth: number;
              executionId: string;
              nodeId: string;
            };
            queue?: {
              position: number;
              queuedAt: string;
            };
            retries?: number;
            startedAt: string;
            /** @enum {string} */
            status: 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
            totalCost: number;
            workflowId: string;
            workflowVersion: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1ExecutionsIdValuesSha256: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        sha256: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description the stored value, any JSON */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': unknown;
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Readiness (alias) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            status: string;
          };
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1HealthLiveness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The process answers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            status: string;
          };
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1HealthReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The gateway reaches NATS */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            status: string;
          };
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unavailable` */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1InvitationsAccept: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
        };
      };
    };
    responses: {
      /** @description Accept an invitation sent to your email: you join with its role */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            /** @enum {string} */
            role?: 'admin' | 'editor' | 'viewer';
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1InvitationsDecline: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          token: string;
        };
      };
    };
    responses: {
      /** @description Decline an invitation sent to your email */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Notifications: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List notifications, newest first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              /** @enum {string} */
              channel: 'slack' | 'discord' | 'generic';
              createdAt: string;
              enabled: boolean;
              host: string;
              id: string;
              on: ('completed' | 'failed')[];
              updatedAt: string;
              workflowId: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Notifications: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          channel: 'slack' | 'discord' | 'generic';
          enabled?: boolean;
          on?: ('completed' | 'failed')[];
          /** Format: uri */
          url: string;
          workflowId: string;
        };
      };
    };
    responses: {
      /** @description Notify a Slack, Discord or generic webhook URL when runs of a workflow complete or fail */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            channel: 'slack' | 'discord' | 'generic';
            createdAt: string;
            enabled: boolean;
            host: string;
            id: string;
            on: ('completed' | 'failed')[];
            updatedAt: string;
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1NotificationsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One notification (its URL is never shown, only the host) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            channel: 'slack' | 'discord' | 'generic';
            createdAt: string;
            enabled: boolean;
            host: string;
            id: string;
            on: ('completed' | 'failed')[];
            updatedAt: string;
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1NotificationsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delete a notification */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1NotificationsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          enabled?: boolean;
          on?: ('completed' | 'failed')[];
          /** Format: uri */
          url?: string;
        };
      };
    };
    responses: {
      /** @description Change a notification (partial) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            channel: 'slack' | 'discord' | 'generic';
            createdAt: string;
            enabled: boolean;
            host: string;
            id: string;
            on: ('completed' | 'failed')[];
            updatedAt: string;
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1NotificationsIdDeliveries: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every delivery with its attempts (status, error), newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              attempts: {
                at: string;
                error: string | null;
                status: number | null;
              }[];
              createdAt: string;
              executionId: string;
              id: string;
              nextAttemptAt: string | null;
              /** @enum {string} */
              outcome: 'completed' | 'failed';
              /** @enum {string} */
              status: 'pending' | 'delivered' | 'failed';
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Schedules: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List schedules, newest first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              anchor?: string;
              at?: string;
              createdAt: string;
              cron?: string;
              enabled: boolean;
              everySeconds?: number;
              id: string;
              input: unknown;
              /** @enum {string} */
              kind: 'cron' | 'interval' | 'once';
              missed: {
                maxRuns?: number;
                /** @enum {string} */
                policy: 'skip' | 'run_once' | 'catch_up';
                windowSeconds?: number;
              };
              nextFireAt: string | null;
              /** @enum {string} */
              overlap: 'allow' | 'skip' | 'buffer_one';
              timezone?: string;
              updatedAt: string;
              version: number | 'latest';
              workflowId: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Schedules: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          at?: string;
          cron?: string;
          enabled?: boolean;
          everySeconds?: number;
          input?: unknown;
          /** @enum {string} */
          kind: 'cron' | 'interval' | 'once';
          missed?: {
            maxRuns?: number;
            /** @enum {string} */
            policy: 'skip' | 'run_once' | 'catch_up';
            windowSeconds?: number;
          };
          /** @enum {string} */
          overlap?: 'allow' | 'skip' | 'buffer_one';
          timezone?: string;
          version?: number | 'latest';
          workflowId: string;
        };
      };
    };
    responses: {
      /** @description Create a cron, interval or one-shot schedule of a workflow */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            anchor?: string;
            at?: string;
            createdAt: string;
            cron?: string;
            enabled: boolean;
            everySeconds?: number;
            id: string;
            input: unknown;
            /** @enum {string} */
            kind: 'cron' | 'interval' | 'once';
            missed: {
              maxRuns?: number;
              /** @enum {string} */
              policy: 'skip' | 'run_once' | 'catch_up';
              windowSeconds?: number;
            };
            nextFireAt: string | null;
            /** @enum {string} */
            overlap: 'allow' | 'skip' | 'buffer_one';
            timezone?: string;
            updatedAt: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1SchedulesId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One schedule */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            anchor?: string;
            at?: string;
            createdAt: string;
            cron?: string;
            enabled: boolean;
            everySeconds?: number;
            id: string;
            input: unknown;
            /** @enum {string} */
            kind: 'cron' | 'interval' | 'once';
            missed: {
              maxRuns?: number;
              /** @enum {string} */
              policy: 'skip' | 'run_once' | 'catch_up';
              windowSeconds?: number;
            };
            nextFireAt: string | null;
            /** @enum {string} */
            overlap: 'allow' | 'skip' | 'buffer_one';
            timezone?: string;
            updatedAt: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1SchedulesId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delete a schedule (it never fires again) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1SchedulesId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          at?: string;
          cron?: string;
          enabled?: boolean;
          everySeconds?: number;
          input?: unknown;
          /** @enum {string} */
          kind?: 'cron' | 'interval' | 'once';
          missed?: {
            maxRuns?: number;
            /** @enum {string} */
            policy: 'skip' | 'run_once' | 'catch_up';
            windowSeconds?: number;
          };
          /** @enum {string} */
          overlap?: 'allow' | 'skip' | 'buffer_one';
          timezone?: string;
          version?: number | 'latest';
        };
      };
    };
    responses: {
      /** @description Change a schedule (partial; a new timing starts from now) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            anchor?: string;
            at?: string;
            createdAt: string;
            cron?: string;
            enabled: boolean;
            everySeconds?: number;
            id: string;
            input: unknown;
            /** @enum {string} */
            kind: 'cron' | 'interval' | 'once';
            missed: {
              maxRuns?: number;
              /** @enum {string} */
              policy: 'skip' | 'run_once' | 'catch_up';
              windowSeconds?: number;
            };
            nextFireAt: string | null;
            /** @enum {string} */
            overlap: 'allow' | 'skip' | 'buffer_one';
            timezone?: string;
            updatedAt: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1SchedulesIdHistory: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Every fire: slot, fired time, execution id, outcome (newest first) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              error?: string;
              executionId: string | null;
              firedAt: string;
              /** @enum {string} */
              outcome: 'started' | 'skipped_overlap' | 'buffered' | 'failed';
              slot: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1SchedulesIdNext: {
    parameters: {
      query?: {
        count?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The next fire times */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            times: string[];
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1SchedulesIdPause: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Pause: no fires until resumed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            anchor?: string;
            at?: string;
            createdAt: string;
            cron?: string;
            enabled: boolean;
            everySeconds?: number;
            id: string;
            input: unknown;
            /** @enum {string} */
            kind: 'cron' | 'interval' | 'once';
            missed: {
              maxRuns?: number;
              /** @enum {string} */
              policy: 'skip' | 'run_once' | 'catch_up';
              windowSeconds?: number;
            };
            nextFireAt: string | null;
            /** @enum {string} */
            overlap: 'allow' | 'skip' | 'buffer_one';
            timezone?: string;
            updatedAt: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1SchedulesIdResume: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Resume from now (what passed while paused does not fire) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            anchor?: string;
            at?: string;
            createdAt: string;
            cron?: string;
            enabled: boolean;
            everySeconds?: number;
            id: string;
            input: unknown;
            /** @enum {string} */
            kind: 'cron' | 'interval' | 'once';
            missed: {
              maxRuns?: number;
              /** @enum {string} */
              policy: 'skip' | 'run_once' | 'catch_up';
              windowSeconds?: number;
            };
            nextFireAt: string | null;
            /** @enum {string} */
            overlap: 'allow' | 'skip' | 'buffer_one';
            timezone?: string;
            updatedAt: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Tools: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List a tools, newest first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              config: {
                [key: string]: unknown;
              };
              createdAt: string;
              description?: string;
              id: string;
              inputSchema: {
                [key: string]: unknown;
              };
              /** @enum {string} */
              kind: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
              mcp?: {
                discoveredAt: string;
                hash: string;
                tools: {
                  description?: string;
                  hash: string;
                  inputSchema: {
                    [key: string]: unknown;
                  };
                  name: string;
                  title?: string;
                }[];
              };
              modelName: string;
              name: string;
              updatedAt: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Tools: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json':
          | {
              config: {
                body?: unknown;
                headers?: {
                  [key: string]: string;
                };
                /** @enum {string} */
                method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
                timeoutMs?: number;
                url: string;
              };
              description?: string;
              inputSchema?: {
                [key: string]: unknown;
              };
              /** @constant */
              kind: 'http';
              name: string;
            }
          | {
              config: {
                allowedTools?: string[];
                args?: string[];
                command?: string;
                /** Format: uuid */
                credentialId?: string;
                headers?: {
                  [key: string]: string;
                };
                serverUrl?: string;
                timeoutMs?: number;
                /** @enum {string} */
                transport: 'streamable_http' | 'sse' | 'stdio';
              };
              description?: string;
              inputSchema?: {
                [key: string]: unknown;
              };
              /** @constant */
              kind: 'mcp';
              name: string;
            }
          | {
              config: {
                code: string;
                cpuSeconds?: number;
                env?: {
                  [key: string]: string;
                };
                maxOutputBytes?: number;
                maxProcesses?: number;
                memoryMb?: number;
                network?: boolean;
                timeoutMs?: number;
              };
              description?: string;
              inputSchema?: {
                [key: string]: unknown;
              };
              /** @constant */
              kind: 'python';
              name: string;
            }
          | {
              config: {
                command: string;
                cpuSeconds?: number;
                env?: {
                  [key: string]: string;
                };
                maxOutputBytes?: number;
                maxProcesses?: number;
                memoryMb?: number;
                network?: boolean;
                timeoutMs?: number;
              };
              description?: string;
              inputSchema?: {
                [key: string]: unknown;
              };
              /** @constant */
              kind: 'shell';
              name: string;
            }
          | {
              config: {
                /** @enum {string} */
                operation: 'json_parse' | 'json_stringify' | 'text_template' | 'sleep' | 'webhook_notify' | 'noop';
                options?: {
                  [key: string]: unknown;
                };
              };
              description?: string;
              inputSchema?: {
                [key: string]: unknown;
              };
              /** @constant */
              kind: 'builtin';
              name: string;
            };
      };
    };
    responses: {
      /** @description Create a tool (editors) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            config: {
              [key: string]: unknown;
            };
            createdAt: string;
            description?: string;
            id: string;
            inputSchema: {
              [key: string]: unknown;
            };
            /** @enum {string} */
            kind: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
            mcp?: {
              discoveredAt: string;
              hash: string;
              tools: {
                description?: string;
                hash: string;
                inputSchema: {
                  [key: string]: unknown;
                };
                name: string;
                title?: string;
              }[];
            };
            modelName: string;
            name: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1ToolsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One a tool */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            config: {
              [key: string]: unknown;
            };
            createdAt: string;
            description?: string;
            id: string;
            inputSchema: {
              [key: string]: unknown;
            };
            /** @enum {string} */
            kind: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
            mcp?: {
              discoveredAt: string;
              hash: string;
              tools: {
                description?: string;
                hash: string;
                inputSchema: {
                  [key: string]: unknown;
                };
                name: string;
                title?: string;
              }[];
            };
            modelName: string;
            name: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1ToolsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Soft-delete a tool (editors) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1ToolsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          config?: {
            [key: string]: unknown;
          };
          description?: string | null;
          inputSchema?: {
            [key: string]: unknown;
          };
          /** @enum {string} */
          kind?: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
          name?: string;
        };
      };
    };
    responses: {
      /** @description Change the given fields of a tool (editors; null clears an optional field) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            config: {
              [key: string]: unknown;
            };
            createdAt: string;
            description?: string;
            id: string;
            inputSchema: {
              [key: string]: unknown;
            };
            /** @enum {string} */
            kind: 'http' | 'mcp' | 'python' | 'shell' | 'builtin';
            mcp?: {
              discoveredAt: string;
              hash: string;
              tools: {
                description?: string;
                hash: string;
                inputSchema: {
                  [key: string]: unknown;
                };
                name: string;
                title?: string;
              }[];
            };
            modelName: string;
            name: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1ToolsIdDiscover: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List an mcp tool's server tools and pin their definitions (409 for other kinds or an unreachable server) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            changed: boolean;
            discoveredAt: string;
            hash: string;
            previousHash?: string;
            toolId: string;
            tools: {
              description?: string;
              hash: string;
              inputSchema: {
                [key: string]: unknown;
              };
              name: string;
              title?: string;
            }[];
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1ToolsIdTest: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @default {} */
          args?: {
            [key: string]: unknown;
          };
          mcpTool?: string;
        };
      };
    };
    responses: {
      /** @description Run the tool once with args (audited); 200 { ok, output | error } also when the tool fails */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | {
                durationMs: number;
                kind: string;
                mcpTool?: string;
                /** @constant */
                ok: true;
                output: unknown;
                toolId: string;
              }
            | {
                durationMs: number;
                error: {
                  code: string;
                  details?: unknown;
                  message: string;
                  retryable: boolean;
                };
                kind: string;
                mcpTool?: string;
                /** @constant */
                ok: false;
                toolId: string;
              };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Triggers: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List event triggers, newest first (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              condition: string | null;
              createdAt: string;
              enabled: boolean;
              id: string;
              input: string | null;
              on: ('completed' | 'failed')[];
              sourceWorkflowId: string;
              targetVersion: number | 'latest';
              targetWorkflowId: string;
              updatedAt: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Triggers: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          condition?: string;
          enabled?: boolean;
          input?: string;
          on?: ('completed' | 'failed')[];
          sourceWorkflowId: string;
          targetVersion?: number | 'latest';
          targetWorkflowId: string;
        };
      };
    };
    responses: {
      /** @description Start a workflow when a run of another completes or fails (optional JSONata condition and input mapping) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            condition: string | null;
            createdAt: string;
            enabled: boolean;
            id: string;
            input: string | null;
            on: ('completed' | 'failed')[];
            sourceWorkflowId: string;
            targetVersion: number | 'latest';
            targetWorkflowId: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1TriggersId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One event trigger */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            condition: string | null;
            createdAt: string;
            enabled: boolean;
            id: string;
            input: string | null;
            on: ('completed' | 'failed')[];
            sourceWorkflowId: string;
            targetVersion: number | 'latest';
            targetWorkflowId: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1TriggersId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delete an event trigger */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1TriggersId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          condition?: string | null;
          enabled?: boolean;
          input?: string | null;
          on?: ('completed' | 'failed')[];
          targetVersion?: number | 'latest';
        };
      };
    };
    responses: {
      /** @description Change an event trigger (partial; null clears condition or input) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            condition: string | null;
            createdAt: string;
            enabled: boolean;
            id: string;
            input: string | null;
            on: ('completed' | 'failed')[];
            sourceWorkflowId: string;
            targetVersion: number | 'latest';
            targetWorkflowId: string;
            updatedAt: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1TriggersIdHistory: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description What the trigger did about each source run: started, condition_false, depth_exceeded or failed (newest first) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              depth: number;
              error: string | null;
              executionId: string | null;
              firedAt: string;
              /** @enum {string} */
              result: 'started' | 'condition_false' | 'depth_exceeded' | 'failed';
              sourceExecutionId: string;
              /** @enum {string} */
              sourceOutcome: 'completed' | 'failed';
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Usage: {
    parameters: {
      query?: {
        from?: string;
        groupBy?: 'workflow' | 'agent' | 'model' | 'day';
        to?: string;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Tokens, cost, runs, success rate and average duration of runs started in [from, to), by workflow, agent, model or day */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            from: string;
            /** @enum {string} */
            groupBy: 'workflow' | 'agent' | 'model' | 'day';
            items: {
              avgDurationMs: number | null;
              calls: number;
              cancelled: number;
              cost: number;
              failed: number;
              inputTokens: number;
              key: string;
              outputTokens: number;
              runs: number;
              succeeded: number;
              successRate: number | null;
            }[];
            to: string;
            totals: {
              avgDurationMs: number | null;
              calls: number;
              cancelled: number;
              cost: number;
              failed: number;
              inputTokens: number;
              outputTokens: number;
              runs: number;
              succeeded: number;
              successRate: number | null;
            };
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Webhooks: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
        workflowId?: string;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List webhooks, newest first (cursor page), optionally one workflow's; secrets are never listed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              /** @enum {string} */
              auth: 'hmac' | 'token';
              createdAt: string;
              enabled: boolean;
              id: string;
              url: string;
              version: number | 'latest';
              workflowId: string;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Webhooks: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          auth?: 'hmac' | 'token';
          version?: number | 'latest';
          workflowId: string;
        };
      };
    };
    responses: {
      /** @description Create a webhook of a workflow; the answer shows the signing secret, once */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            auth: 'hmac' | 'token';
            createdAt: string;
            enabled: boolean;
            id: string;
            /** @description HMAC-SHA256 key of the signatures (or the token of `auth: token`); shown only in this answer */
            secret: string;
            url: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WebhooksId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One webhook (without its secret) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            auth: 'hmac' | 'token';
            createdAt: string;
            enabled: boolean;
            id: string;
            url: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1WebhooksId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Delete a webhook: its URL answers 404 from then on */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1WebhooksId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          enabled?: boolean;
          /** @constant */
          rotateSecret?: true;
        };
      };
    };
    responses: {
      /** @description Enable or disable a webhook, or rotate its secret: the new secret is in this answer, once */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            auth: 'hmac' | 'token';
            createdAt: string;
            enabled: boolean;
            id: string;
            /** @description the new secret, only in the answer of a rotation */
            secret?: string;
            url: string;
            version: number | 'latest';
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Workflows: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description List workflows (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              createdAt: string;
              description?: string;
              graph: {
                defaults?: {
                  retry?: {
                    backoffCoefficient?: number;
                    initialIntervalMs?: number;
                    jitter?: number;
                    maxAttempts?: number;
                    maxIntervalMs?: number;
                    nonRetryableErrorCodes?: string[];
                  };
                  scheduleToCloseTimeoutMs?: number;
                  timeoutMs?: number;
                };
                /** @default [] */
                edges: {
                  from: string;
                  to: string;
                  when?: string;
                }[];
                entry_point: string;
                input_schema?: {
                  [key: string]: unknown;
                };
                nodes: {
                  config?: {
                    [key: string]: unknown;
                  };
                  id: string;
                  label?: string;
                  type: string;
                }[];
              };
              id: string;
              name: string;
              updatedAt: string;
              version: number;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Workflows: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          description?: string;
          graph: {
            defaults?: {
              retry?: {
                backoffCoefficient?: number;
                initialIntervalMs?: number;
                jitter?: number;
                maxAttempts?: number;
                maxIntervalMs?: number;
                nonRetryableErrorCodes?: string[];
              };
              scheduleToCloseTimeoutMs?: number;
              timeoutMs?: number;
            };
            /** @default [] */
            edges?: {
              from: string;
              to: string;
              when?: string;
            }[];
            entry_point: string;
            input_schema?: {
              [key: string]: unknown;
            };
            nodes: {
              config?: {
                [key: string]: unknown;
              };
              id: string;
              label?: string;
              type: string;
            }[];
          };
          name: string;
        };
      };
    };
    responses: {
      /** @description Create a workflow (version 1); the graph is validated */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            description?: string;
            graph: {
              defaults?: {
                retry?: {
                  backoffCoefficient?: number;
                  initialIntervalMs?: number;
                  jitter?: number;
                  maxAttempts?: number;
                  maxIntervalMs?: number;
                  nonRetryableErrorCodes?: string[];
                };
                scheduleToCloseTimeoutMs?: number;
                timeoutMs?: number;
              };
              /** @default [] */
              edges: {
                from: string;
                to: string;
                when?: string;
              }[];
              entry_point: string;
              input_schema?: {
                [key: string]: unknown;
              };
              nodes: {
                config?: {
                  [key: string]: unknown;
                };
                id: string;
                label?: string;
                type: string;
              }[];
            };
            id: string;
            name: string;
            updatedAt: string;
            version: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkflowsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The current version of a workflow */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            description?: string;
            graph: {
              defaults?: {
                retry?: {
                  backoffCoefficient?: number;
                  initialIntervalMs?: number;
                  jitter?: number;
                  maxAttempts?: number;
                  maxIntervalMs?: number;
                  nonRetryableErrorCodes?: string[];
                };
                scheduleToCloseTimeoutMs?: number;
                timeoutMs?: number;
              };
              /** @default [] */
              edges: {
                from: string;
                to: string;
                when?: string;
              }[];
              entry_point: string;
              input_schema?: {
                [key: string]: unknown;
              };
              nodes: {
                config?: {
                  [key: string]: unknown;
                };
                id: string;
                label?: string;
                type: string;
              }[];
            };
            id: string;
            name: string;
            updatedAt: string;
            version: number;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  putApiV1WorkflowsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          description?: string;
          graph?: {
            defaults?: {
              retry?: {
                backoffCoefficient?: number;
                initialIntervalMs?: number;
                jitter?: number;
                maxAttempts?: number;
                maxIntervalMs?: number;
                nonRetryableErrorCodes?: string[];
              };
              scheduleToCloseTimeoutMs?: number;
              timeoutMs?: number;
            };
            /** @default [] */
            edges?: {
              from: string;
              to: string;
              when?: string;
            }[];
            entry_point: string;
            input_schema?: {
              [key: string]: unknown;
            };
            nodes: {
              config?: {
                [key: string]: unknown;
              };
              id: string;
              label?: string;
              type: string;
            }[];
          };
          name?: string;
        };
      };
    };
    responses: {
      /** @description Save a new immutable version (version + 1) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            description?: string;
            graph: {
              defaults?: {
                retry?: {
                  backoffCoefficient?: number;
                  initialIntervalMs?: number;
                  jitter?: number;
                  maxAttempts?: number;
                  maxIntervalMs?: number;
                  nonRetryableErrorCodes?: string[];
                };
                scheduleToCloseTimeoutMs?: number;
                timeoutMs?: number;
              };
              /** @default [] */
              edges: {
                from: string;
                to: string;
                when?: string;
              }[];
              entry_point: string;
              input_schema?: {
                [key: string]: unknown;
              };
              nodes: {
                config?: {
                  [key: string]: unknown;
                };
                id: string;
                label?: string;
                type: string;
              }[];
            };
            id: string;
            name: string;
            updatedAt: string;
            version: number;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1WorkflowsId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Soft-delete a workflow */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkflowsIdExecutions: {
    parameters: {
      query?: {
        cursor?: string;
        from?: string;
        limit?: number;
        status?: string;
        to?: string;
        trigger?: string;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One workflow's runs, newest first (same filters) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              durationMs: number | null;
              errorCode: string | null;
              finishedAt: string | null;
              id: string;
              parentId: string | null;
              startedAt: string;
              /** @enum {string} */
              status: 'pending' | 'running' | 'awaiting_approval' | 'completed' | 'failed' | 'cancelled';
              totalCost: number;
              trigger: {
                by: string | null;
                /** @enum {string} */
                type: 'manual' | 'api' | 'schedule' | 'webhook' | 'event' | 'sub_workflow';
              };
              workflowId: string;
              workflowVersion: number;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1WorkflowsIdExecutions: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @default {} */
          input?: unknown;
          version?: number;
        };
      };
    };
    responses: {
      /** @description Start a run; input is checked against input_schema */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            executionId: string;
            queue?: {
              position: number;
              queuedAt: string;
            };
            status: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `insufficient_credits` */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkflowsIdVersions: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: number;
      };
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Saved versions of a workflow, newest first, without graphs (cursor page) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              createdAt: string;
              createdBy: string;
              description?: string;
              name: string;
              version: number;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkflowsIdVersionsVersion: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        version: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One saved version with its graph */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            createdBy: string;
            description?: string;
            graph: {
              defaults?: {
                retry?: {
                  backoffCoefficient?: number;
                  initialIntervalMs?: number;
                  jitter?: number;
                  maxAttempts?: number;
                  maxIntervalMs?: number;
                  nonRetryableErrorCodes?: string[];
                };
                scheduleToCloseTimeoutMs?: number;
                timeoutMs?: number;
              };
              /** @default [] */
              edges: {
                from: string;
                to: string;
                when?: string;
              }[];
              entry_point: string;
              input_schema?: {
                [key: string]: unknown;
              };
              nodes: {
                config?: {
                  [key: string]: unknown;
                };
                id: string;
                label?: string;
                type: string;
              }[];
            };
            name: string;
            version: number;
            workflowId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1Workspaces: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workspaces you belong to, with your role in each */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              name: string;
              /** @enum {string} */
              role?: 'admin' | 'editor' | 'viewer';
            }[];
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1Workspaces: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
        };
      };
    };
    responses: {
      /** @description Create a workspace; you are its admin */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            /** @enum {string} */
            role?: 'admin' | 'editor' | 'viewer';
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1WorkspacesId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          name: string;
        };
      };
    };
    responses: {
      /** @description Rename a workspace (admins) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            name: string;
            /** @enum {string} */
            role?: 'admin' | 'editor' | 'viewer';
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkspacesIdApiKeys: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workspace's API keys with their prefix and last use, never the key (admins) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              createdAt: string;
              createdBy: string;
              expiresAt: string | null;
              id: string;
              lastUsedAt: string | null;
              name: string;
              prefix: string;
              revokedAt: string | null;
              /** @enum {string} */
              role: 'admin' | 'editor' | 'viewer';
            }[];
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1WorkspacesIdApiKeys: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** Format: date-time */
          expiresAt?: string;
          name: string;
          /** @enum {string} */
          role: 'admin' | 'editor' | 'viewer';
        };
      };
    };
    responses: {
      /** @description Create an API key (admins): the key is in this answer only; its role is at most yours */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            createdBy: string;
            expiresAt: string | null;
            id: string;
            key: string;
            lastUsedAt: string | null;
            name: string;
            prefix: string;
            revokedAt: string | null;
            /** @enum {string} */
            role: 'admin' | 'editor' | 'viewer';
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1WorkspacesIdApiKeysKeyId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        keyId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Revoke an API key (admins): refused by every gateway within a second */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkspacesIdInvitations: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Pending invitations (admins) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              createdAt: string;
              email: string;
              expiresAt: string;
              id: string;
              invitedBy: string;
              /** @enum {string} */
              role: 'admin' | 'editor' | 'viewer';
              /** @enum {string} */
              status: 'pending' | 'accepted' | 'declined' | 'revoked';
              workspaceId: string;
            }[];
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postApiV1WorkspacesIdInvitations: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          email: string;
          /** @enum {string} */
          role: 'admin' | 'editor' | 'viewer';
        };
      };
    };
    responses: {
      /** @description Invite an email with a role (admins); the single-use token is in this answer only */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            createdAt: string;
            email: string;
            expiresAt: string;
            id: string;
            invitedBy: string;
            /** @enum {string} */
            role: 'admin' | 'editor' | 'viewer';
            /** @enum {string} */
            status: 'pending' | 'accepted' | 'declined' | 'revoked';
            token: string;
            workspaceId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1WorkspacesIdInvitationsInvitationId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        invitationId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Withdraw a pending invitation (admins) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkspacesIdMembers: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The members of a workspace with their roles */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              email: string;
              joinedAt: string;
              name?: string;
              /** @enum {string} */
              role: 'admin' | 'editor' | 'viewer';
              userId: string;
            }[];
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteApiV1WorkspacesIdMembersUserId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        userId: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Remove a member (admins); the last admin cannot be removed (409) */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  patchApiV1WorkspacesIdMembersUserId: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
        userId: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** @enum {string} */
          role: 'admin' | 'editor' | 'viewer';
        };
      };
    };
    responses: {
      /** @description Change a member's role (admins); the last admin cannot be demoted (409) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            email: string;
            joinedAt: string;
            name?: string;
            /** @enum {string} */
            role: 'admin' | 'editor' | 'viewer';
            userId: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getApiV1WorkspacesIdSettings: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The workspace's switches: python and shell tools, and their network (all off until an admin enables them) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            mcp: {
              stdio: boolean;
            };
            sandboxedTools: {
              network: boolean;
              python: boolean;
              shell: boolean;
            };
            updatedAt: string | null;
          };
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  putApiV1WorkspacesIdSettings: {
    parameters: {
      query?: never;
      header?: {
        /** @description the workspace to act in; optional for a user with one workspace */
        'X-Workspace-Id'?: string;
      };
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          mcp?: {
            stdio?: boolean;
          };
          sandboxedTools?: {
            network?: boolean;
            python?: boolean;
            shell?: boolean;
          };
        };
      };
    };
    responses: {
      /** @description Change switches (admins; the fields given change, the others stay; audited as WorkspaceSettingsChanged) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            mcp: {
              stdio: boolean;
            };
            sandboxedTools: {
              network: boolean;
              python: boolean;
              shell: boolean;
            };
            updatedAt: string | null;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `forbidden` */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  postHooksId: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A signed (or token) call: starts the workflow with the JSON body as input (HMAC-SHA256, 5 min tolerance, no replays; rate limited per webhook; 409 when disabled) */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            executionId: string;
            queue?: {
              position: number;
              queuedAt: string;
            };
            status: string;
          };
        };
      };
      /** @description problem+json, code `validation_failed` or `invalid_graph` */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unauthenticated` */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `not_found` */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `conflict` */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `payload_too_large` */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `unsupported_media_type` */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `rate_limited` */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text exposition format */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': unknown;
        };
      };
      /** @description problem+json, code `internal` */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
