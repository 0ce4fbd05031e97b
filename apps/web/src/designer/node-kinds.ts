/**
 * The node types this release runs (libs/contracts RUNNABLE_NODE_TYPES), with what the designer
 * needs per type: a default config and whether edges out of it carry `when`. Their config forms
 * are generated from the node configs' JSON Schemas (NodeConfigForm, node-config.schemas.json).
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

/** The node kinds whose outgoing edges carry `when` (a condition's value, a gate's decision). */
export const BRANCHING_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(['condition', 'human_gate']);

/** The `when` values offered on an edge out of a gate. */
export const GATE_DECISIONS = ['approved', 'rejected'] as const;

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
