import { renderTemplates, TemplateError, type RenderContext } from './helm-template';

const context = (Values: Record<string, unknown>): RenderContext => ({
  Values,
  Release: { Name: 'r', Namespace: 'ns', Service: 'Helm', IsInstall: true, IsUpgrade: false },
  Chart: { Name: 'c', Version: '1.0.0', AppVersion: '2.0.0' },
});
const render = (template: string, values: Record<string, unknown> = {}, helpers = ''): string =>
  renderTemplates({ '_helpers.tpl': helpers, 't.yaml': template }, context(values))['t.yaml'];

// Each expectation is what Go's text/template with Helm's functions prints for the same input.
describe('the chart test renderer (a subset of Helm templates)', () => {
  it('trims whitespace on the marked side of an action only', () => {
    expect(render('a  {{- "b" }}  c')).toBe('ab  c');
    expect(render('a  {{ "b" -}}  \n c')).toBe('a  bc');
    expect(render('x\n{{- /* gone */}}\ny')).toBe('x\ny');
  });

  it('reads values, the release and the chart, and prints nil as nothing', () => {
    expect(render('{{ .Values.a.b }}/{{ .Release.Name }}/{{ .Chart.AppVersion }}/{{ .Values.missing }}', { a: { b: 1 } })).toBe(
      '1/r/2.0.0/',
    );
  });

  it('ranges over maps in sorted key order with $key, $value, and over lists', () => {
    expect(render('{{ range $k, $v := .Values.m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } })).toBe('a=1;b=2;');
    expect(render('{{ range .Values.l }}[{{ . }}]{{ else }}none{{ end }}', { l: ['x', 'y'] })).toBe('[x][y]');
    expect(render('{{ range .Values.l }}[{{ . }}]{{ else }}none{{ end }}', { l: [] })).toBe('none');
  });

  it('uses Go truth in if/else if/else and with', () => {
    const t = '{{ if .Values.a }}A{{ else if .Values.b }}B{{ else }}C{{ end }}';
    expect(render(t, { a: 1 })).toBe('A');
    expect(render(t, { a: 0, b: 'x' })).toBe('B');
    expect(render(t, { a: {}, b: [] })).toBe('C');
    expect(render('{{ with .Values.m }}{{ .k }}{{ else }}none{{ end }}', { m: { k: 'v' } })).toBe('v');
    expect(render('{{ if and .Values.a (not .Values.b) }}yes{{ end }}', { a: true, b: false })).toBe('yes');
    expect(render('{{ if eq .Values.s "x" }}yes{{ end }}', { s: 'x' })).toBe('yes');
  });

  it('has the Helm functions the chart uses', () => {
    expect(render('k:{{ toYaml .Values.m | nindent 2 }}', { m: { a: 1, b: ['x'] } })).toBe('k:\n  a: 1\n  b:\n    - x');
    expect(
      render('{{ .Values.s | quote }} {{ default "d" .Values.none }} {{ printf "%s-%s" "a" "b" | trunc 2 }}', { s: 'q' }),
    ).toBe('"q" d a-');
    expect(render('{{ "tool-runner" | upper | replace "-" "_" }}')).toBe('TOOL_RUNNER');
    expect(render('{{ index .Values.m "tool-runner" }}', { m: { 'tool-runner': 7 } })).toBe('7');
    expect(render('{{ include "h" (dict "n" "x") }}', {}, '{{- define "h" -}}[{{ .n }}]{{- end -}}')).toBe('[x]');
    expect(render('{{ $x := "a" }}{{ $x = "b" }}{{ $x }}')).toBe('b');
  });

  it('fails on required values that are missing, naming them', () => {
    expect(() => render('{{ required "need a.b" .Values.a }}')).toThrow(/need a\.b/);
  });

  it('refuses what it does not implement instead of guessing', () => {
    expect(() => render('{{ lookup "v1" "Secret" "ns" "n" }}')).toThrow(TemplateError);
    expect(() => render('{{ tpl .Values.x . }}')).toThrow(TemplateError);
    expect(() => render('{{ if .Values.a }}open')).toThrow(/missing \{\{ end \}\}/);
    expect(() => render('{{ $undefined }}')).toThrow(/undefined variable/);
  });
});
