/**
 * `npm run bench`: replay throughput on a generated CloudTrail log of 100k events, beside the throughput of
 * only reading and JSON-parsing the same files in the same run. Goal: replay ≥ 0.5 × parse-only.
 * Two stages in between show where replay's time goes: its reader alone (reading, parsing, splitting into
 * events), and the reader with the per-event work every replay does before any state (validation and
 * classification against the playbook table).
 * Usage: tsx bench/replay.ts [--events N] [--runs N]
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createClassifier } from '../shared/classify/classify';
import { defaultPolicy } from '../shared/classify/policy';
import { createSelfMatcher } from '../shared/classify/self';
import { replay } from '../shared/cli/commands/replay';
import { readInputBatches } from '../shared/cli/input';
import { normalizeEvent } from '../shared/events';
import { generateEvents } from './generate';

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });
const total = Number(values.events);
const runs = Number(values.runs);
const EVENTS_PER_FILE = 1000;
const directory = join(__dirname, '..', '.bench', 'replay-logs');

function writeLogs(): number {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const events = generateEvents(total, { duplicateRate: 0, burstAt: Math.floor(total / 2) });
  let bytes = 0;
  for (let file = 0; file * EVENTS_PER_FILE < events.length; file += 1) {
    // Named like CloudTrail's S3 keys so the directory sorts in time order.
    const text = JSON.stringify({ Records: events.slice(file * EVENTS_PER_FILE, (file + 1) * EVENTS_PER_FILE) });
    bytes += text.length;
    writeFileSync(join(directory, `111122223333_CloudTrail_us-east-1_20261120T${String(file).padStart(5, '0')}Z_bench.json`), text);
  }
  return bytes;
}

function parseOnly(): number {
  let count = 0;
  for (const name of readdirSync(directory).sort()) {
    const document = JSON.parse(readFileSync(join(directory, name), 'utf8')) as { Records: unknown[] };
    count += document.Records.length;
  }
  return count;
}

const SELF_PRINCIPALS = ['arn:aws:sts::*:assumed-role/q-triage-*'];

/** Replay's reader alone: the events it yields. */
async function readerOnly(): Promise<number> {
  let count = 0;
  for await (const batch of readInputBatches([directory])) count += batch.length;
  return count;
}

/** The reader, then each event validated and classified as replay's engine does first: the events classified. */
async function readerValidateClassify(): Promise<number> {
  const classify = createClassifier(defaultPolicy(), createSelfMatcher(SELF_PRINCIPALS));
  let count = 0;
  for await (const batch of readInputBatches([directory])) {
    for (const item of batch) {
      if ('error' in item) continue;
      const result = normalizeEvent(item.value, item.bytes);
      if (result.ok && classify(result.event).severity !== undefined) count += 1;
    }
  }
  return count;
}

class CountingSink extends Writable {
  lines = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    // indexOf, not a loop over bytes: the sink's own cost is not the replay's.
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) this.lines += 1;
    callback();
  }
}

async function replayOnce(format: 'json' | 'text'): Promise<number> {
  const sink = new CountingSink();
  const code = await replay(
    { format, verbose: false, selfPrincipals: SELF_PRINCIPALS, locale: 'en', enrich: false, strict: false, paths: [directory] },
    { stdout: sink, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: process.cwd() },
  );
  if (code !== 0) throw new Error(`replay exited ${code}`);
  return sink.lines;
}

async function time<T>(work: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

async function main(): Promise<void> {
  const bytes = writeLogs();
  console.log(`generated ${total} events in ${Math.ceil(total / EVENTS_PER_FILE)} CloudTrail log files (${(bytes / 1e6).toFixed(1)} MB)`);
  await replayOnce('json'); // warm-up: module loading and JIT are not throughput
  parseOnly();
  const parse: number[] = [];
  const reader: number[] = [];
  const classified: number[] = [];
  const json: number[] = [];
  const text: number[] = [];
  let lines = 0;
  for (let run = 0; run < runs; run += 1) {
    const parsed = await time(parseOnly);
    if (parsed.result !== total) throw new Error(`parse-only read ${parsed.result} events, expected ${total}`);
    parse.push(parsed.ms);
    const read = await time(readerOnly);
    if (read.result !== total) throw new Error(`the reader yielded ${read.result} events, expected ${total}`);
    reader.push(read.ms);
    const checked = await time(readerValidateClassify);
    if (checked.result !== total) throw new Error(`${checked.result} events were classified, expected ${total}`);
    classified.push(checked.ms);
    const replayed = await time(() => replayOnce('json'));
    lines = replayed.result;
    json.push(replayed.ms);
    text.push((await time(() => replayOnce('text'))).ms);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  const rate = (values: number[]): number => total / (median(values) / 1000);
  const line = (label: string, values: number[], note = ''): string =>
    `${label.padEnd(22)}: ${median(values).toFixed(0).padStart(6)} ms → ${Math.round(rate(values)).toLocaleString('en').padStart(9)} events/s${note}`;
  console.log(line('parse-only', parse, ` (median of ${runs})`));
  const share = (values: number[]): string => ` (${(rate(values) / rate(parse)).toFixed(2)} of parse-only)`;
  console.log(line('  replay\'s reader', reader, share(reader)));
  console.log(line('  + validate, classify', classified, share(classified)));
  console.log(line('replay --format json', json, ` (${lines} output lines)`));
  console.log(line('replay --format text', text));
  console.log(`ratio to parse-only: json ${(rate(json) / rate(parse)).toFixed(2)}, text ${(rate(text) / rate(parse)).toFixed(2)} (goal ≥ 0.50)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
