import { runBench } from './bench';
import { parseArgs } from './config';
import { formatTable, writeResults } from './report';

/**
 * `npm run bench [-- --quick] [-- --no-langgraph] [-- --profile] [-- --out file]`: runs the
 * benchmark, prints the table and writes the results JSON. Exits 1 if the run failed (a target
 * missed is a finding, not a failure: it is in the table and the JSON).
 */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const results = await runBench(options);
  console.log(`\n${formatTable(results)}\n`);
  writeResults(options.out, results);
  console.log(`Results written to ${options.out}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
