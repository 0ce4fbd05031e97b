/**
 * The hash chain of an execution export (`GET /api/v1/executions/{id}/export`, JSON Lines), and
 * its verifier (`npm run verify-export -- FILE`).
 *
 * Each line is one JSON object in canonical form, then `\n`. Canonical form: RFC 8785 (JCS) for
 * the JSON the platform stores: object keys sorted by UTF-16 code units, no whitespace, strings
 * and numbers as ECMAScript's `JSON.stringify` writes them. Every line carries
 *
 * - `line`: its number, from 1;
 * - `prevHash`: the previous line's `hash` (64 zeros on line 1);
 * - `hash`: lowercase hex SHA-256 of the UTF-8 canonical form of the line's object without `hash`
 *   (so including `line` and `prevHash`).
 *
 * Line 1 is `kind: "export"` (format, execution, workspace, time); then `kind: "event"` lines (the
 * execution's stream in order) and `kind: "credit"` lines (the ledger entries it caused, in ledger
 * order); the last line is `kind: "end"` with the counts. Changing, removing, reordering or
 * inserting any byte breaks the chain at the first line concerned; a cut file lacks its end line.
 */
import { createHash } from 'node:crypto';

/** The export's format name, in its first line. */
export const EXPORT_FORMAT = 'flowstack.execution-export/1';
/** `prevHash` of the first line. */
export const GENESIS_HASH = '0'.repeat(64);

/** The canonical JSON text of `value` (JCS for JSON values; `undefined` members are left out). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`not a JSON value: ${typeof value}`);
    return text;
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Writes the chain: each call gives the next line (with its `\n`). */
export class ExportChain {
  private prevHash = GENESIS_HASH;
  private count = 0;

  /** The line of `body` (any JSON object without `line`, `prevHash` or `hash`). */
  next(body: Record<string, unknown>): string {
    const unhashed = { ...body, line: ++this.count, prevHash: this.prevHash };
    const hash = sha256(canonicalJson(unhashed));
    this.prevHash = hash;
    return `${canonicalJson({ ...unhashed, hash })}\n`;
  }

  /** Lines written so far. */
  get lines(): number {
    return this.count;
  }
}

/** What the verifier found: the chain whole, or the first line that breaks it and why. */
export type VerifyResult =
  { ok: true; lines: number; events: number; credits: number; headHash: string } | { ok: false; line: number; reason: string };

/** Checks an export line by line (each without its `\n`); stops at the first broken line. */
export async function verifyExport(lines: AsyncIterable<string> | Iterable<string>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let n = 0;
  let events = 0;
  let credits = 0;
  let ended = false;
  for await (const text of lines) {
    n += 1;
    const fail = (reason: string): VerifyResult => ({ ok: false, line: n, reason });
    if (ended) return fail('a line after the end line');
    let obj: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('not a JSON object');
      obj = parsed as Record<string, unknown>;
    } catch {
      return fail('not valid JSON');
    }
    if (canonicalJson(obj) !== text) return fail('not in canonical form (the bytes were changed)');
    const { hash, ...unhashed } = obj;
    if (obj.line !== n) return fail(`its line number is ${JSON.stringify(obj.line)}, expected ${n}`);
    if (obj.prevHash !== prevHash) return fail(`prevHash is not the hash of line ${n - 1}`);
    if (typeof hash !== 'string' || hash !== sha256(canonicalJson(unhashed))) return fail('hash does not match the line');
    prevHash = hash;
    const kind = obj.kind;
    if (n === 1) {
      if (kind !== 'export' || obj.format !== EXPORT_FORMAT) return fail(`not an export header (format ${EXPORT_FORMAT})`);
      continue;
    }
    if (kind === 'event') events += 1;
    else if (kind === 'credit') credits += 1;
    else if (kind === 'end') {
      if (obj.events !== events || obj.credits !== credits) {
        return fail(
          `the end line counts ${String(obj.events)} events and ${String(obj.credits)} credits, the file has ${events} and ${credits}`,
        );
      }
      ended = true;
    } else return fail(`unknown kind ${JSON.stringify(kind)}`);
  }
  if (n === 0) return { ok: false, line: 1, reason: 'the file is empty' };
  if (!ended) return { ok: false, line: n + 1, reason: `the end line is missing: the export was cut after line ${n}` };
  return { ok: true, lines: n, events, credits, headHash: prevHash };
}
