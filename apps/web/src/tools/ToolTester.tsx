import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { messageOf } from '../common/use-load';

interface Discovered {
  name: string;
  description?: string;
}
type TestResult =
  { ok: true; output: unknown; durationMs: number } | { ok: false; error: { code: string; message: string }; durationMs: number };

/**
 * Runs one registered tool once (`POST /tools/{id}/test`) with JSON args and shows its output or
 * error; for an mcp tool, Discover lists the server's tools (and pins their definitions) so one can
 * be picked to test.
 */
export function ToolTester({ tool, onClose }: { tool: { id: string; name: string; kind: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const [args, setArgs] = useState('{}');
  const [mcpTool, setMcpTool] = useState('');
  const [discovered, setDiscovered] = useState<Discovered[]>();
  const [result, setResult] = useState<TestResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const path = { params: { path: { id: tool.id } } };

  const discover = async (): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      const res = unwrap(await api.POST('/api/v1/tools/{id}/discover', path));
      setDiscovered(res.tools);
      if (!mcpTool && res.tools[0]) setMcpTool(res.tools[0].name);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const test = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    let parsed: unknown;
    try {
      parsed = args.trim() === '' ? {} : JSON.parse(args);
    } catch {
      setError(t('tools.badArgs'));
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError(t('tools.badArgs'));
      return;
    }
    setBusy(true);
    try {
      const res = unwrap(
        await api.POST('/api/v1/tools/{id}/test', {
          ...path,
          body: { args: parsed as Record<string, unknown>, ...(tool.kind === 'mcp' && mcpTool ? { mcpTool } : {}) },
        }),
      );
      setResult(res);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="tool-tester" aria-labelledby="tool-tester-title" data-testid="tool-tester">
      <h2 id="tool-tester-title">{t('tools.testTitle', { name: tool.name })}</h2>
      {tool.kind === 'mcp' && (
        <div>
          <button type="button" onClick={() => void discover()} disabled={busy} data-testid="tool-discover">
            {t('tools.discover')}
          </button>
          {discovered && (
            <ul data-testid="tool-discovered">
              {discovered.map((d) => (
                <li key={d.name}>
                  <code>{d.name}</code>
                  {d.description ? ` — ${d.description}` : ''}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form className="config-form" onSubmit={(e) => void test(e)} aria-label={t('tools.testTitle', { name: tool.name })}>
        {tool.kind === 'mcp' && (
          <label>
            {t('tools.mcpTool')}
            {discovered ? (
              <select value={mcpTool} onChange={(e) => setMcpTool(e.target.value)}>
                {discovered.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name}
                  </option>
                ))}
              </select>
            ) : (
              <input value={mcpTool} onChange={(e) => setMcpTool(e.target.value)} />
            )}
          </label>
        )}
        <label>
          {t('tools.args')}
          <textarea className="mono" rows={4} value={args} onChange={(e) => setArgs(e.target.value)} data-testid="tool-args" />
        </label>
        <button type="submit" className="primary" disabled={busy} data-testid="tool-run-test">
          {t('tools.runTest')}
        </button>
        <button type="button" onClick={onClose}>
          {t('tools.closeTest')}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <div role="status">
          <p data-testid="tool-test-outcome" data-ok={String(result.ok)}>
            {result.ok
              ? t('tools.testOk', { ms: result.durationMs })
              : t('tools.testFailed', { code: result.error.code, message: result.error.message })}
          </p>
          <pre className="json" data-testid="tool-test-result" tabIndex={0}>
            {JSON.stringify(result.ok ? result.output : result.error, null, 2)}
          </pre>
        </div>
      )}
    </section>
  );
}
