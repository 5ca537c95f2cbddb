/**
 * `npm run bench:cli`: how long the built CLI takes to print `--help` and `--version`, beside `node -e 0`
 * (Node's own start). Goal: `--help` within 2× of `node -e 0`. Median of interleaved runs.
 * Usage: tsx bench/cli-start.ts [--runs 15]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const runs = Number(values.runs);
const cli = join(__dirname, '..', 'bin', 'q-triage.js');
const cases: Record<string, readonly string[]> = {
  'node -e 0': ['-e', '0'],
  'q-triage --help': [cli, '--help'],
  'q-triage --version': [cli, '--version'],
};

function once(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const times = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
for (let run = 0; run < runs; run += 1)
  for (const [name, args] of Object.entries(cases)) times.get(name)?.push(once(args));
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const base = median(times.get('node -e 0') ?? []);
for (const [name, values] of times)
  console.log(
    `${name.padEnd(20)} ${median(values).toFixed(0).padStart(5)} ms  (${(median(values) / base).toFixed(2)} × node -e 0, median of ${runs})`,
  );
