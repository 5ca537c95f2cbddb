/**
 * `npm run bench`: the whole `q-triage replay` process (the built CLI, as a user runs it) over generated
 * CloudTrail log files of 100k and 1M events, beside a plain Node process that only reads and JSON.parses
 * the same files, and a jq pass over them. Prints wall time, events/s, the throughput ratio to plain Node
 * (goal ≥ 0.4) and peak RSS (goal ≤ 300 MB at 1M, flat beyond 100k). One run of each: the 1M case takes
 * minutes on a shared 2-core machine.
 * Usage: tsx bench/replay.ts [--events 100000,1000000] [--keep]  (needs GNU time at /usr/bin/time; jq optional)
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eventStream } from './generate';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '100000,1000000' }, keep: { type: 'boolean', default: false } },
});
const sizes = values.events.split(',').map(Number);
const ROOT = join(__dirname, '..');
const BENCH_DIR = join(ROOT, '.bench');
const EVENTS_PER_FILE = 1000;
const SELF_PRINCIPAL = 'arn:aws:iam::111122223333:role/q-triage-*';

/** CloudTrail log files as S3 holds them ({"Records":[…]}, named by delivery time); returns the directory and its size. */
function writeLogs(total: number): { directory: string; bytes: number } {
  const directory = join(BENCH_DIR, `replay-${total}`);
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  let bytes = 0;
  let file = 0;
  let batch: string[] = [];
  const flush = (): void => {
    const minute = new Date(Date.parse('2026-11-20T00:00:00Z') + file * 5 * 60_000)
      .toISOString()
      .replace(/[-:]/g, '')
      .slice(0, 13);
    const text = `{"Records":[${batch.join(',')}]}`;
    const fd = openSync(
      join(directory, `111122223333_CloudTrail_us-east-1_${minute}Z_bench${String(file).padStart(5, '0')}.json`),
      'w',
    );
    writeSync(fd, text);
    closeSync(fd);
    bytes += Buffer.byteLength(text);
    file += 1;
    batch = [];
  };
  for (const record of eventStream(total, { duplicateRate: 0, burstAt: Math.floor(total / 2) })) {
    batch.push(JSON.stringify(record));
    if (batch.length === EVENTS_PER_FILE) flush();
  }
  if (batch.length > 0) flush();
  return { directory, bytes };
}

interface Measured {
  readonly seconds: number;
  /** User + system CPU seconds: steadier than wall time when other work shares the machine. */
  readonly cpuSeconds: number;
  readonly peakMb: number;
}

/** Runs a command under GNU time: wall and CPU seconds and peak RSS of the whole process. Its stdout is discarded. */
function measure(command: string, args: readonly string[]): Measured {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', command, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
  const [seconds, kb, user, system] = last.split(' ').map(Number);
  if (
    result.status !== 0 ||
    seconds === undefined ||
    kb === undefined ||
    user === undefined ||
    system === undefined ||
    Number.isNaN(seconds)
  ) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(-500)}`);
  }
  return { seconds, cpuSeconds: user + system, peakMb: kb / 1024 };
}

/** The baseline: a plain Node process reading and parsing every file, one after the other. */
const PLAIN_NODE = `
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.argv[1];
let events = 0;
for (const name of readdirSync(dir).sort()) events += JSON.parse(readFileSync(join(dir, name), 'utf8')).Records.length;
if (events !== Number(process.argv[2])) throw new Error('read ' + events + ' events');
`;

function main(): void {
  const cli = join(ROOT, 'bin', 'q-triage.js');
  if (!existsSync(join(ROOT, 'dist', 'cli', 'q-triage.cjs')))
    throw new Error('the CLI is not built: npm run build:cli');
  const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' }).status === 0;
  const rows: string[][] = [];
  for (const total of sizes) {
    const { directory, bytes } = writeLogs(total);
    const files = readdirSync(directory)
      .sort()
      .map((name) => join(directory, name));
    process.stderr.write(`${total} events: ${files.length} files, ${(bytes / 1e6).toFixed(0)} MB\n`);
    const plain = measure(process.execPath, ['-e', PLAIN_NODE, directory, String(total)]);
    const replay = measure(process.execPath, [
      cli,
      'replay',
      '--format',
      'json',
      '--no-enrich',
      '--self-principal',
      SELF_PRINCIPAL,
      directory,
    ]);
    const replayText = measure(process.execPath, [
      cli,
      'replay',
      '--no-enrich',
      '--self-principal',
      SELF_PRINCIPAL,
      directory,
    ]);
    const jqPass = jq ? measure('jq', ['-c', '.Records[]', ...files]) : undefined;
    const row = (name: string, m: Measured): string[] => [
      String(total),
      name,
      `${m.seconds.toFixed(2)} s`,
      `${m.cpuSeconds.toFixed(2)} s`,
      `${Math.round(total / m.seconds).toLocaleString('en')}/s`,
      (plain.seconds / m.seconds).toFixed(2),
      (plain.cpuSeconds / m.cpuSeconds).toFixed(2),
      `${m.peakMb.toFixed(0)} MB`,
    ];
    rows.push(
      row('plain Node read + JSON.parse', plain),
      row('q-triage replay --format json', replay),
      row('q-triage replay (text)', replayText),
      ...(jqPass === undefined ? [] : [row("jq -c '.Records[]'", jqPass)]),
    );
    if (!values.keep) rmSync(directory, { recursive: true, force: true });
  }
  const headers = ['events', 'process', 'wall time', 'CPU time', 'events/s', 'ratio', 'CPU ratio', 'peak RSS'];
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ');
  console.log([line(headers), ...rows.map(line)].join('\n'));
  console.log(
    "ratio: plain Node wall time / this process's (goal for replay ≥ 0.40); CPU ratio: the same for user + system CPU time; peak RSS goal ≤ 300 MB at 1M events.",
  );
  if (!jq) console.log('jq not found: install it (apt-get install jq) for the jq row.');
}

main();
