import { validateGraph } from './graph.validator';
import { graphAround } from './graph.fixtures';

const rulesOf = (config: Record<string, unknown>) =>
  validateGraph(graphAround({ id: 'ask', type: 'agent_call', config })).map((e) => [e.rule, e.path]);

describe('agent_call node config', () => {
  it('accepts an agent, a prompt template and the optional fields', () => {
    expect(
      rulesOf({
        agentId: 'a1',
        prompt: 'Summarise {{ input.text }}',
        tools: ['t1'],
        maxSteps: 4,
        outputSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
        retry: { maxAttempts: 2 },
      }),
    ).toEqual([]);
  });

  it('names each bad field', () => {
    expect(rulesOf({ prompt: 'hi', maxSteps: 0 })).toEqual([
      ['invalid_node_config', 'nodes[1].config.agentId'],
      ['invalid_node_config', 'nodes[1].config.maxSteps'],
    ]);
  });

  it('refuses a prompt template that does not compile and an output schema that is not one', () => {
    expect(rulesOf({ agentId: 'a1', prompt: 'Hi {{ input. }}' })).toEqual([['invalid_node_config', 'nodes[1].config.prompt']]);
    expect(rulesOf({ agentId: 'a1', prompt: 'Hi', outputSchema: { type: 'nonsense' } })).toEqual([
      ['invalid_node_config', expect.stringMatching(/^nodes\[1\]\.config\.outputSchema/)],
    ]);
  });
});
