import type { GraphNode, WorkflowGraph } from '@flowstack/contracts';
import { validateGraph } from './graph.validator';

/** start -> gate -(approved)-> yes, -(rejected)-> no; with the gate's config and extra edges. */
function gateGraph(config: Record<string, unknown>, edges?: WorkflowGraph['edges']): WorkflowGraph {
  const gate: GraphNode = { id: 'gate', type: 'human_gate', config };
  return {
    entry_point: 'start',
    nodes: [
      { id: 'start', type: 'input', config: {} },
      gate,
      { id: 'yes', type: 'output', config: { value: 'yes' } },
      { id: 'no', type: 'output', config: { value: 'no' } },
    ],
    edges: edges ?? [
      { from: 'start', to: 'gate' },
      { from: 'gate', to: 'yes', when: 'approved' },
      { from: 'gate', to: 'no', when: 'rejected' },
    ],
  };
}

const rulesOf = (graph: WorkflowGraph) => validateGraph(graph).map((e) => [e.rule, e.path]);

describe('human_gate validation', () => {
  it('accepts a gate with a prompt, a role, a timeout and its onTimeout, routed approved/rejected', () => {
    expect(validateGraph(gateGraph({ prompt: 'Ship it?' }))).toEqual([]);
    expect(
      validateGraph(gateGraph({ prompt: 'Ship it?', approverRole: 'admin', timeoutSeconds: 3600, onTimeout: 'approved' })),
    ).toEqual([]);
  });

  it('needs a prompt', () => {
    expect(validateGraph(gateGraph({}))).toEqual([
      {
        rule: 'invalid_node_config',
        path: 'nodes[1].config.prompt',
        nodeId: 'gate',
        message: 'human_gate node "gate": needs config.prompt, the question the approver answers (a non-empty string)',
      },
    ]);
    expect(rulesOf(gateGraph({ prompt: '   ' }))).toEqual([['invalid_node_config', 'nodes[1].config.prompt']]);
  });

  it('refuses an unknown approverRole, a bad timeout, an unknown onTimeout, and onTimeout without a timeout', () => {
    expect(rulesOf(gateGraph({ prompt: 'ok?', approverRole: 'owner' }))).toEqual([
      ['invalid_node_config', 'nodes[1].config.approverRole'],
    ]);
    for (const timeoutSeconds of [-1, 'soon', 400 * 24 * 3600]) {
      expect(rulesOf(gateGraph({ prompt: 'ok?', timeoutSeconds }))).toEqual([
        ['invalid_node_config', 'nodes[1].config.timeoutSeconds'],
      ]);
    }
    expect(rulesOf(gateGraph({ prompt: 'ok?', timeoutSeconds: 5, onTimeout: 'maybe' }))).toEqual([
      ['invalid_node_config', 'nodes[1].config.onTimeout'],
    ]);
    expect(validateGraph(gateGraph({ prompt: 'ok?', onTimeout: 'approved' }))).toEqual([
      expect.objectContaining({
        path: 'nodes[1].config.onTimeout',
        message: expect.stringContaining('needs config.timeoutSeconds'),
      }),
    ]);
  });

  it('invalid_gate_edge: an edge leaving a gate without when, or with a label other than approved/rejected', () => {
    const graph = gateGraph({ prompt: 'ok?' }, [
      { from: 'start', to: 'gate' },
      { from: 'gate', to: 'yes' },
      { from: 'gate', to: 'no', when: 'true' },
    ]);
    expect(validateGraph(graph)).toEqual([
      {
        rule: 'invalid_gate_edge',
        path: 'edges[1].when',
        edge: { from: 'gate', to: 'yes' },
        nodeId: 'gate',
        message: 'edge 1 (gate -> yes) leaves human_gate "gate" with no when; it needs when "approved" or "rejected"',
      },
      {
        rule: 'invalid_gate_edge',
        path: 'edges[2].when',
        edge: { from: 'gate', to: 'no' },
        nodeId: 'gate',
        message: 'edge 2 (gate -> no) leaves human_gate "gate" with when "true"; it needs when "approved" or "rejected"',
      },
    ]);
  });
});
