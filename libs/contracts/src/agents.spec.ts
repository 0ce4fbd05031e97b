import { createAgentSchema, slugify } from './agents';
import { createToolSchema, toolModelName } from './tools';

describe('names derived from what users type', () => {
  it.each([
    ['Grant Critic', 'grant-critic'],
    ['  Ünïcode   Agent!! v2 ', 'unicode-agent-v2'],
    ['***', 'agent'],
  ])('slugify(%j) is %j', (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it('cuts a slug at 64 characters without a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(63)} b`);
    expect(slug.length).toBeLessThanOrEqual(64);
    expect(slug).not.toMatch(/-$/);
  });

  it.each([
    ['Weather Lookup', 'weather_lookup'],
    ['search-grants', 'search-grants'],
    ['Crawl: Announcements (EU)', 'crawl_announcements_eu'],
  ])('toolModelName(%j) is %j, a name both vendors accept', (name, modelName) => {
    expect(toolModelName(name)).toBe(modelName);
    expect(toolModelName(name)).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
  });
});

describe('request schemas', () => {
  it('defaults maxSteps to 10, costPerRun to 0 and parameters to {}', () => {
    expect(createAgentSchema.parse({ name: 'a', provider: 'glm', model: 'glm-4.6' })).toMatchObject({
      maxSteps: 10,
      costPerRun: 0,
      parameters: {},
    });
  });

  it('reports a config error under config, not as a union mismatch', () => {
    const result = createToolSchema.safeParse({ name: 't', kind: 'python', config: { code: '' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['config.code']);
  });
});
