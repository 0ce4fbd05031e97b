import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORT_FORMAT, ExportChain, GENESIS_HASH, canonicalJson, verifyExport } from './export-chain';

/** An export of a small run: header, three events, two credit entries, end. */
function sampleExport(): string[] {
  const chain = new ExportChain();
  const lines = [
    chain.next({
      kind: 'export',
      format: EXPORT_FORMAT,
      executionId: 'e-1',
      workspaceId: 'w-1',
      exportedAt: '2026-12-01T00:00:00.000Z',
    }),
    chain.next({
      kind: 'event',
      seq: 1,
      type: 'ExecutionStarted',
      data: { input: { text: 'héllo ✓', n: 1.5 } },
      metadata: {},
      recordedAt: 't',
    }),
    chain.next({
      kind: 'event',
      seq: 2,
      type: 'NodeCompleted',
      data: { output: [1, null, 'x'], cost: 27 },
      metadata: { b: 1, a: 2 },
      recordedAt: 't',
    }),
    chain.next({ kind: 'event', seq: 3, type: 'ExecutionCompleted', data: {}, metadata: {}, recordedAt: 't' }),
    chain.next({
      kind: 'credit',
      position: 4,
      eventId: 'c1',
      type: 'CreditsHeld',
      data: { amount: 100 },
      metadata: {},
      recordedAt: 't',
    }),
    chain.next({
      kind: 'credit',
      position: 5,
      eventId: 'c2',
      type: 'CreditsCharged',
      data: { amount: 27 },
      metadata: {},
      recordedAt: 't',
    }),
    chain.next({ kind: 'end', events: 3, credits: 2 }),
  ];
  return lines.map((l) => l.replace(/\n$/, ''));
}

describe('export hash chain', () => {
  it('writes canonical lines (sorted keys, no spaces) chained by SHA-256', async () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: 'é', z: undefined })).toBe('{"a":"é","b":[1,{"c":null,"d":"x"}]}');
    const lines = sampleExport();
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ line: 1, prevHash: GENESIS_HASH, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(lines[1]).prevHash).toBe(first.hash);
    expect(await verifyExport(lines)).toEqual({ ok: true, lines: 7, events: 3, credits: 2, headHash: JSON.parse(lines[6]).hash });
  });

  it('names the line of any one-byte edit, in every line and at every position of one', async () => {
    const lines = sampleExport();
    for (let target = 0; target < lines.length; target++) {
      const line = lines[target];
      for (let i = 0; i < line.length; i++) {
        // Another printable ASCII character at position i (a digit for a digit, so numbers stay numbers).
        const c = line.charCodeAt(i);
        const replaced = c >= 48 && c <= 56 ? c + 1 : c === 57 ? 48 : c === 97 ? 98 : 97;
        const edited = [...lines];
        edited[target] = line.slice(0, i) + String.fromCharCode(replaced) + line.slice(i + 1);
        const result = await verifyExport(edited);
        expect({ target, i, result: result.ok ? 'ok' : result.line }).toEqual({ target, i, result: target + 1 });
      }
    }
  });

  it('reports a removed, swapped or appended line, and a cut file', async () => {
    const lines = sampleExport();
    expect(await verifyExport([...lines.slice(0, 2), ...lines.slice(3)])).toMatchObject({ ok: false, line: 3 });
    expect(await verifyExport([lines[0], lines[2], lines[1], ...lines.slice(3)])).toMatchObject({ ok: false, line: 2 });
    expect(await verifyExport([...lines, lines[6]])).toMatchObject({ ok: false, line: 8, reason: 'a line after the end line' });
    expect(await verifyExport(lines.slice(0, 5))).toMatchObject({
      ok: false,
      line: 6,
      reason: expect.stringMatching(/cut after line 5/),
    });
    expect(await verifyExport([])).toMatchObject({ ok: false, line: 1 });
  });

  it('npm run verify-export: exit 0 on the file, 1 naming the line after one byte is changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fs-export-'));
    const file = join(dir, 'run.jsonl');
    const lines = sampleExport();
    writeFileSync(file, `${lines.join('\n')}\n`);
    const cli = ['-r', '@swc-node/register', 'tools/verify-export.ts', file];
    expect(execFileSync(process.execPath, cli, { encoding: 'utf8' })).toMatch(/^OK: 7 lines \(3 events, 2 credit entries\)/);
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    const at = bytes.indexOf('"cost":27') + '"cost":2'.length;
    bytes[at] = '8'.charCodeAt(0);
    writeFileSync(file, bytes);
    const broken = spawnSync(process.execPath, cli, { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^BROKEN at line 3: hash does not match the line/);
  });
});
