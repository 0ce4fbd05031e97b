import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A thin HTTP client for the public API, as a user's script would call it. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private token?: string,
    private workspaceId?: string,
  ) {}

  as(token: string, workspaceId?: string): ApiClient {
    return new ApiClient(this.baseUrl, token, workspaceId);
  }

  async call<T = any>(method: string, path: string, body?: unknown, rawBody?: string): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (this.workspaceId) headers['x-workspace-id'] = this.workspaceId;
    if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    // JSON Lines (an execution export) stay text: a client reads them line by line.
    const lines = res.headers.get('content-type')?.includes('application/x-ndjson');
    return { status: res.status, headers: res.headers, body: text ? (lines ? text : JSON.parse(text)) : undefined };
  }

  get<T = any>(path: string) {
    return this.call<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.call<T>('POST', path, body ?? {});
  }
  put<T = any>(path: string, body: unknown) {
    return this.call<T>('PUT', path, body);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.call<T>('PATCH', path, body);
  }
  delete<T = any>(path: string) {
    return this.call<T>('DELETE', path);
  }
}

/** A freshly registered user with their own workspace, and a client acting as them. */
export interface Tenant {
  token: string;
  workspaceId: string;
  client: ApiClient;
}

/** Registers `<label>-<uuid>@example.com` (a new workspace each time); throws unless the answer is 201. */
export async function registerTenant(api: ApiClient, label: string): Promise<Tenant> {
  const res = await api.post('/api/v1/auth/register', {
    email: `${label}-${randomUUID()}@example.com`,
    password: 'correct horse battery',
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { token: res.body.token, workspaceId: res.body.workspace.id, client: api.as(res.body.token) };
}

/**
 * Grants the client's workspace `amount` micro-credits (the client must be its admin): runs with
 * costed nodes (agents, priced tools) need credit to start and hold.
 */
export async function grantCredits(client: ApiClient, amount: number): Promise<void> {
  const res = await client.post('/api/v1/credits/grants', { amount });
  if (res.status !== 201) throw new Error(`grant answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Creates a workflow as `client`; throws unless the answer is 201. Resolves to its id. */
export async function createWorkflow(client: ApiClient, name: string, graph: object): Promise<string> {
  const res = await client.post('/api/v1/workflows', { name, graph });
  if (res.status !== 201) throw new Error(`create workflow answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export interface WsRun {
  messages: any[];
  /** Resolves with the close code once the server closes the socket. */
  closed: Promise<number>;
  socket: WebSocket;
}

/** Opens `WS /ws/executions/{id}` with a bearer header and records every message until close. */
export function watchExecution(wsUrl: string, executionId: string, token: string, query = ''): Promise<WsRun> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/ws/executions/${executionId}${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const messages: any[] = [];
    const closed = new Promise<number>((r) => socket.on('close', (code) => r(code)));
    socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
    socket.once('open', () => resolve({ messages, closed, socket }));
    socket.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })),
    );
    socket.once('error', reject);
  });
}

/** Opens the socket the way a browser must (no headers) and authenticates with a first message. */
export function watchWithAuthMessage(
  wsUrl: string,
  executionId: string,
  token: string,
): Promise<WsRun & { closeReason: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${wsUrl}/ws/executions/${executionId}`);
    const messages: any[] = [];
    let reason = '';
    const closed = new Promise<number>((r) =>
      socket.on('close', (code, why) => {
        reason = why.toString();
        r(code);
      }),
    );
    socket.on('message', (data) => messages.push(JSON.parse((data as Buffer).toString('utf8'))));
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'auth', token }));
      resolve({ messages, closed, socket, closeReason: closed.then(() => reason) });
    });
    socket.once('error', reject);
  });
}
