import { randomUUID } from 'node:crypto';

/** A graph as the public API takes it (see README "The API"). */
export interface GraphSpec {
  entry_point: string;
  nodes: Array<{ id: string; type: string; config?: Record<string, unknown> }>;
  edges: Array<{ from: string; to: string; when?: string }>;
}

/**
 * The public REST API as a client script calls it: the benchmark drives Flowstack through the
 * gateway only, so every figure includes authentication, routing and the NATS hops a user pays.
 */
export class ApiClient {
  private token = '';

  constructor(readonly baseUrl: string) {}

  /** Registers a fresh user (and workspace) and keeps its token for the calls that follow. */
  async register(): Promise<{ workspaceId: string; token: string }> {
    const body = await this.call<{ token: string; workspace: { id: string } }>(
      'POST',
      '/api/v1/auth/register',
      {
        email: `bench-${randomUUID()}@example.com`,
        password: 'benchmark password',
        name: 'Bench',
      },
      201,
    );
    this.token = body.token;
    return { workspaceId: body.workspace.id, token: body.token };
  }

  get bearer(): string {
    return this.token;
  }

  async createWorkflow(name: string, graph: GraphSpec): Promise<string> {
    const body = await this.call<{ id: string }>('POST', '/api/v1/workflows', { name, graph }, 201);
    return body.id;
  }

  /** `POST /schedules`: resolves with the schedule's id on 201. */
  async createSchedule(schedule: Record<string, unknown>): Promise<string> {
    const body = await this.call<{ id: string }>('POST', '/api/v1/schedules', schedule, 201);
    return body.id;
  }

  /** `POST /workflows/{id}/executions`: resolves with the execution id on 202. */
  async startExecution(workflowId: string, input: unknown = { n: 1 }): Promise<string> {
    const body = await this.call<{ executionId: string }>('POST', `/api/v1/workflows/${workflowId}/executions`, { input }, 202);
    return body.executionId;
  }

  async getExecution(executionId: string): Promise<{ status: string; nodes: Record<string, { status: string }> }> {
    return this.call('GET', `/api/v1/executions/${executionId}`, undefined, 200);
  }

  /** `GET /executions/{id}/events`: the first page (up to 1,000 events), enough for small graphs. */
  async getEvents(executionId: string): Promise<Array<{ seq: number; type: string; data: Record<string, unknown> }>> {
    const page = await this.call<{ items: Array<{ seq: number; type: string; data: Record<string, unknown> }> }>(
      'GET',
      `/api/v1/executions/${executionId}/events?limit=1000`,
      undefined,
      200,
    );
    return page.items;
  }

  /** Any other POST of the API as this user (agents, grants): throws unless the answer is `expected`. */
  post<T>(path: string, body: unknown, expected = 201): Promise<T> {
    return this.call<T>('POST', path, body, expected);
  }

  private async call<T>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    if (res.status !== expected)
      throw new Error(`${method} ${path} answered ${res.status}, expected ${expected}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}
