// `npm run verify-export -- FILE`: checks the hash chain of an execution export (JSON Lines from
// `GET /api/v1/executions/{id}/export`) and names the first broken line. Exit 0 when the chain is
// whole, 1 when a line breaks it (or the file is cut), 2 on usage errors. The format is described
// in apps/gateway/src/executions/export-chain.ts and the README.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { verifyExport } from '../apps/gateway/src/executions/export-chain';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error('usage: npm run verify-export -- FILE');
    return 2;
  }
  const input = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (e) {
    console.error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  // crlfDelay: a \r\n file is read as lines without \r (and then fails the canonical check).
  const result = await verifyExport(createInterface({ input, crlfDelay: Infinity }));
  if (result.ok) {
    console.log(
      `OK: ${result.lines} lines (${result.events} events, ${result.credits} credit entries), chain head ${result.headHash}`,
    );
    return 0;
  }
  console.log(`BROKEN at line ${result.line}: ${result.reason}`);
  return 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`verify-export failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 2;
  },
);
