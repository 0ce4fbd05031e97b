import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import en from '../i18n/en.json';
import ko from '../i18n/ko.json';
import { defaultConfig, NODE_KINDS, type NodeKind } from './node-kinds';
import { NodeConfigForm } from './NodeConfigForm';

const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, ko: { translation: ko } },
  lng: 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  initAsync: false,
});

/** The form's HTML as the designer's inspector first shows it (effects, such as the pickers' loads, do not run). */
function render(kind: NodeKind, config: Record<string, unknown> | undefined, lng = 'en'): string {
  void i18n.changeLanguage(lng);
  return renderToStaticMarkup(
    createElement(I18nextProvider, { i18n }, createElement(NodeConfigForm, { nodeId: 'n1', kind, config, onChange: () => {} })),
  );
}

/** The text that starts every `<label>`, `<legend>` and `<summary>` (rjsf marks required fields with `*`). */
const labels = (html: string): string[] =>
  [...html.matchAll(/<(?:label|legend|summary)[^>]*>([^<]*)/g)].map((m) => m[1]!.replace(/\*$/, ''));
const options = (html: string): string[] => [...html.matchAll(/<option[^>]*>(.*?)<\/option>/g)].map((m) => m[1]!);

/** What each type's form shows for the config a new node of that type gets. */
const EXPECTED: Record<NodeKind, string[]> = {
  input: ['Retries', 'Timeout per attempt (ms)', 'Timeout of all attempts (ms)'],
  transform: ['Expression (JSONata)', 'Retries'],
  condition: ['Expression (JSONata)'],
  validation: ['JSON Schema', 'Data to check (JSON; default: the input)'],
  tool: ['Inline tool', 'URL', 'Method', 'Headers', 'Body (JSON)', 'Timeout (ms)', 'Arguments (JSON; strings are templates)'],
  agent_call: [
    'Agent',
    'Prompt',
    'Messages (JSON conversation or a template)',
    'Extra tools',
    'Max steps',
    'Output schema (JSON Schema)',
  ],
  human_gate: ['Question for the approver', 'Who may decide', 'Timeout (seconds)', 'Decision on timeout'],
  delay: ['Wait (seconds)'],
  sub_workflow: ['Workflow', 'Version (empty: the latest)', 'Input (JSON; strings are templates)'],
  output: ['Value (JSON; strings are templates)'],
};

describe('NodeConfigForm (generated from the node config JSON Schemas)', () => {
  it.each(NODE_KINDS.map((k) => [k]))('%s: draws a field for each config field of its schema', (kind) => {
    const html = render(kind, defaultConfig(kind));
    expect(labels(html)).toEqual(expect.arrayContaining(EXPECTED[kind]));
    expect(html).not.toContain('Unsupported field');
  });

  it("shows no error on a new node's config, but where a choice is still to be made", () => {
    const errorIds = (kind: NodeKind) =>
      [...render(kind, defaultConfig(kind)).matchAll(/<ul id="([^"]+)__error"/g)].map((m) => m[1]);
    for (const kind of NODE_KINDS.filter((k) => k !== 'agent_call' && k !== 'sub_workflow'))
      expect([kind, errorIds(kind)]).toEqual([kind, []]);
    expect(errorIds('agent_call')).toEqual(['cfg-n1_agentId']);
    expect(errorIds('sub_workflow')).toEqual(['cfg-n1_workflowId']);
  });

  it('offers the alternatives of a tool and of a delay by name, and picks the ones the config holds', () => {
    const tool = render('tool', defaultConfig('tool'));
    expect(options(tool)).toEqual(expect.arrayContaining(['Registered tool', 'Inline tool', 'HTTP request', 'Python', 'Shell']));
    expect(tool).toMatch(/<option value="0" selected="">Inline tool<\/option>/);
    const registered = render('tool', { toolId: 'tool_1' });
    expect(registered).toContain('data-testid="pick-registeredTool"');
    expect(labels(registered)).not.toContain('URL');
    expect(labels(render('delay', { until: '2026-12-01T09:00:00Z' }))).toContain('Wait until (ISO time)');
    // Every choice has an accessible name (axe: select-name).
    expect(
      [...tool.matchAll(/<select[^>]*>/g)].filter(
        (m) => !/aria-label=|id="cfg-n1_tool_(method|operation)"|data-testid/.test(m[0]),
      ),
    ).toEqual([]);
    expect(tool).toContain('aria-label="Which one"');
    expect(tool).toContain('aria-label="Inline tool: which kind"');
  });

  it('uses the workspace pickers and the checked text widgets where the uiSchema says', () => {
    expect(render('agent_call', defaultConfig('agent_call'))).toContain('data-testid="pick-agent"');
    expect(render('agent_call', defaultConfig('agent_call'))).toContain('data-testid="pick-registeredTool"');
    expect(render('sub_workflow', defaultConfig('sub_workflow'))).toContain('data-testid="pick-workflow"');
    expect(render('tool', defaultConfig('tool'))).toContain('data-testid="insert-secret"');
    expect(render('transform', { expression: 'input' })).toMatch(
      /<input type="text"[^>]*class="form-control mono"[^>]*value="input"/,
    );
  });

  it.each<[string, NodeKind, Record<string, unknown>, string]>([
    ['a missing required field', 'transform', {}, 'Required'],
    ['a number below its minimum', 'tool', { tool: { kind: 'http', url: 'https://x', timeoutMs: 0 } }, 'Must be at least 1'],
    ['a blank text', 'human_gate', { prompt: ' ' }, 'Must not be empty or malformed'],
    ['a value of the wrong type', 'sub_workflow', { workflowId: 'wf', version: 'two' }, 'Must be of type integer'],
    ['a rule across fields', 'human_gate', { prompt: 'Ship?', onTimeout: 'approved' }, 'onTimeout needs timeoutSeconds'],
    ['a prompt or messages (a root rule the form does not draw)', 'agent_call', { agentId: 'a1' }, 'Required'],
  ])('shows the error of %s under its field at once', (_label, kind, config, message) => {
    const html = render(kind, config);
    expect(html).toMatch(/class="[^"]*error-detail/);
    expect(html).toContain(message);
  });

  it('speaks Korean: titles, option names and errors from the ko catalogue', () => {
    const html = render('human_gate', { approverRole: 'admin' }, 'ko');
    expect(labels(html)).toEqual(expect.arrayContaining(['승인자에게 묻는 질문', '결정할 수 있는 사람']));
    expect(options(html)).toContain('관리자');
    expect(html).toContain('필수 항목입니다');
    void i18n.changeLanguage('en');
  });
});
