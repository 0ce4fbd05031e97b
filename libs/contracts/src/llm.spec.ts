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

  it('takes a conversation instead of a prompt, as an array or a template', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ];
    expect(agentCallConfigSchema.parse({ agentId: 'a', messages })).toEqual({ agentId: 'a', messages });
    expect(agentCallConfigSchema.parse({ agentId: 'a', messages: '{{ input.messages }}' }).messages).toBe('{{ input.messages }}');
  });

  it.each([
    [{ prompt: 'x' }, 'agentId'],
    [{ agentId: 'a', prompt: '' }, 'prompt'],
    [{ agentId: 'a', prompt: 'x', maxSteps: 0 }, 'maxSteps'],
    [{ agentId: 'a', prompt: 'x', maxSteps: 2.5 }, 'maxSteps'],
    [{ agentId: 'a', prompt: 'x', outputSchema: 'object' }, 'outputSchema'],
    [{ agentId: 'a' }, 'prompt'],
    [{ agentId: 'a', messages: [] }, 'messages'],
    [
      {
        agentId: 'a',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: 'yo' },
        ],
      },
      'messages.1.role',
    ],
  ])('refuses %j at %s', (config, path) => {
    const result = agentCallConfigSchema.safeParse(config);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path.join('.')).toBe(path);
  });
});
