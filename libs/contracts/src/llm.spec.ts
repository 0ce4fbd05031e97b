import { agentCallConfigSchema } from './llm';

describe('agentCallConfigSchema', () => {
  it('accepts the agent_call config with its optional fields', () => {
    const config = {
      agentId: 'a1',
      prompt: 'Summarise {{ input.text }}',
      tools: ['t1'],
      maxSteps: 4,
      outputSchema: { type: 'object' },
    };
    expect(agentCallConfigSchema.parse(config)).toEqual(config);
  });

  it.each([
    [{ prompt: 'x' }, 'agentId'],
    [{ agentId: 'a', prompt: '' }, 'prompt'],
    [{ agentId: 'a', prompt: 'x', maxSteps: 0 }, 'maxSteps'],
    [{ agentId: 'a', prompt: 'x', maxSteps: 2.5 }, 'maxSteps'],
    [{ agentId: 'a', prompt: 'x', outputSchema: 'object' }, 'outputSchema'],
  ])('refuses %j at %s', (config, path) => {
    const result = agentCallConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path.join('.')).toBe(path);
  });
});
