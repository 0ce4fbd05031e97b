/**
 * The node types this release runs (libs/contracts RUNNABLE_NODE_TYPES), with what the designer
 * needs per type: a default config, whether edges out of it carry `when`, and its config fields.
 * There are no JSON Schemas of node configs to generate forms from yet, so each type lists its
 * fields for a small form (ConfigForm); the server's graph validator stays the judge.
 */
export const NODE_KINDS = [
  'input',
  'transform',
  'condition',
  'validation',
  'tool',
  'agent_call',
  'human_gate',
  'delay',
  'sub_workflow',
  'output',
] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export type FieldKind =
  | 'expression'
  | 'template'
  | 'json'
  | 'text'
  | 'method'
  | 'number'
  /** One of the workspace's agents, picked from its list. */
  | 'agent'
  /** One of the workspace's registered tools, picked from its list. */
  | 'registeredTool'
  /** One of the workspace's workflows, picked from its list. */
  | 'workflow'
  | 'role'
  | 'decision';

/** The node kinds whose outgoing edges carry `when` (a condition's value, a gate's decision). */
export const BRANCHING_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(['condition', 'human_gate']);

/** The `when` values offered on an edge out of a gate. */
export const GATE_DECISIONS = ['approved', 'rejected'] as const;

export interface ConfigField {
  /** Path in `config`, dot-separated (`tool.url`). */
  path: string;
  kind: FieldKind;
}

export const CONFIG_FIELDS: Record<NodeKind, ConfigField[]> = {
  input: [],
  transform: [{ path: 'expression', kind: 'expression' }],
  condition: [{ path: 'expression', kind: 'expression' }],
  tool: [
    { path: 'tool.method', kind: 'method' },
    { path: 'tool.url', kind: 'template' },
    { path: 'tool.headers', kind: 'json' },
    { path: 'tool.body', kind: 'json' },
    { path: 'tool.timeoutMs', kind: 'number' },
  ],
  validation: [
    { path: 'schema', kind: 'json' },
    { path: 'data', kind: 'json' },
  ],
  agent_call: [
    { path: 'agentId', kind: 'agent' },
    { path: 'prompt', kind: 'template' },
    { path: 'maxSteps', kind: 'number' },
    { path: 'outputSchema', kind: 'json' },
  ],
  human_gate: [
    { path: 'prompt', kind: 'text' },
    { path: 'approverRole', kind: 'role' },
    { path: 'timeoutSeconds', kind: 'number' },
    { path: 'onTimeout', kind: 'decision' },
  ],
  delay: [
    { path: 'seconds', kind: 'number' },
    { path: 'until', kind: 'text' },
  ],
  sub_workflow: [
    { path: 'workflowId', kind: 'workflow' },
    { path: 'version', kind: 'number' },
    { path: 'input', kind: 'json' },
  ],
  output: [{ path: 'value', kind: 'json' }],
};

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function defaultConfig(kind: NodeKind): Record<string, unknown> | undefined {
  switch (kind) {
    case 'input':
      return undefined;
    case 'transform':
      return { expression: 'input' };
    case 'condition':
      return { expression: 'true' };
    case 'tool':
      return { tool: { kind: 'http', method: 'GET', url: 'https://example.com/' } };
    case 'validation':
      return { schema: { type: 'object' } };
    case 'agent_call':
      return { agentId: '', prompt: '{{ input }}' };
    case 'human_gate':
      return { prompt: 'Approve?' };
    case 'delay':
      return { seconds: 60 };
    case 'sub_workflow':
      return { workflowId: '', input: '{{ input }}' };
    case 'output':
      return { value: '{{ input }}' };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

export const isNodeKind = (v: unknown): v is NodeKind => typeof v === 'string' && (NODE_KINDS as readonly string[]).includes(v);

export function getPath(obj: Record<string, unknown> | undefined, path: string): unknown {
  let at: unknown = obj;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** A copy of `obj` with `path` set (or removed when `value` is undefined). */
export function setPath(obj: Record<string, unknown> | undefined, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  const copy: Record<string, unknown> = { ...(obj ?? {}) };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = copy[head];
  copy[head] = setPath(child && typeof child === 'object' ? (child as Record<string, unknown>) : {}, rest.join('.'), value);
  return copy;
}
