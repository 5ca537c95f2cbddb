/**
 * Reads CloudTrail activity for `q-triage replay`: files, directories (recursive, sorted by path) and
 * `-` (stdin). Every input becomes either a parsed value or a rejection with a reason; nothing here
 * validates events (that is `normalizeEvent`'s job), and one bad line or file never stops the others.
 *
 * Files are read whole, one at a time (the next one is read while the current one is parsed); stdin is
 * read whole too, then parsed like a file.
 *
 * Formats, detected per file from its content (never from its name):
 * - gzip (magic bytes 1f 8b), wrapping any of the formats below;
 * - a `{"Records": [ … ]}` document: CloudTrail log files as delivered to S3, and SQS event files as a
 *   Lambda function receives them (records with `eventSource: "aws:sqs"`, whose `body` is the event);
 *   several such documents concatenated (`zcat *.json.gz`) are read one after the other;
 * - a JSON array of events;
 * - JSON lines (one event per line, blank lines skipped); a line holding a `{"Records": […]}` document
 *   is expanded into its records;
 * - a single JSON object, pretty-printed or not.
 *
 * Sources name where a value came from:
 * - `FILE:LINE` for JSON lines (LINE counts from 1, blank lines included), `-:LINE` for stdin;
 * - `FILE#INDEX` for an event inside a Records document or an array (INDEX counts from 0, in file
 *   order, continuing across concatenated documents: `jq '.Records[INDEX]'` for a single document);
 * - `FILE:LINE#INDEX` for a record of a Records document found on line LINE of a JSON-lines file;
 * - `FILE` for a single-object file and for failures of the whole file (unreadable, bad gzip, not JSON).
 * JSON error positions are relative to the text of the line or record named by the source.
 *
 * `bytes` is the UTF-8 length of the event's own JSON text when the reader sliced it out anyway (lines,
 * records and array elements, SQS bodies, single-object files); omitted otherwise.
 */
import { isAscii } from 'node:buffer';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordSpans, scanArray, skipWhitespaceBack, type ArrayScan, recordsArrayOpen, skipWhitespace, valueEnd } from './input-json';
import { CLOSE_BRACE, CLOSE_BRACKET, describeJsonError, messageOf, OPEN_BRACE, OPEN_BRACKET } from '../events/json-error';
import { parseMessageBody } from '../events/sqs';

export interface InputEvent {
  readonly source: string;
  readonly value: unknown;
  /** UTF-8 length of the event's raw JSON text, when known without re-serialising. */
  readonly bytes?: number;
}

export interface InputRejection {
  readonly source: string;
  readonly error: string;
}

export type InputItem = InputEvent | InputRejection;

export const isInputRejection = (item: InputItem): item is InputRejection => 'error' in item;

export interface ReadInputsOptions {
  /** Read for the path `-`. Without it, `-` is a rejection. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Relative paths are resolved against it (sources keep the path as given). Default: process.cwd(). */
  readonly cwd?: string;
}

export const STDIN_PATH = '-';

/**
 * Every event of every path, in order (paths as given, files of a directory sorted by path), one array
 * per file or per problem: a 100k-event replay would otherwise pay several promise hops per event.
 */
export async function* readInputBatches(
  paths: readonly string[],
  options: ReadInputsOptions = {},
): AsyncGenerator<readonly InputItem[], void, undefined> {
  const cwd = options.cwd ?? process.cwd();
  let stdinRead = false;
  for (const path of paths) {
    if (path === STDIN_PATH) {
      if (options.stdin === undefined) {
        yield [{ source: STDIN_PATH, error: 'no standard input to read' }];
      } else if (stdinRead) {
        yield [{ source: STDIN_PATH, error: 'standard input was already read (- given twice)' }];
      } else {
        stdinRead = true;
        yield await readStdin(options.stdin);
      }
      continue;
    }
    yield* readPath(path, resolve(cwd, path));
  }
}

/** Convenience for tests and small inputs: everything `readInputBatches` yields, in order, in one array. */
export async function readAllInputs(
  paths: readonly string[],
  stdin?: NodeJS.ReadableStream,
  cwd?: string,
): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const batch of readInputBatches(paths, { stdin, cwd })) items.push(...batch);
  return items;
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<InputItem[]> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (error) {
    return [{ source: STDIN_PATH, error: `cannot read standard input: ${messageOf(error)}` }];
  }
  return parseInput(Buffer.concat(chunks), STDIN_PATH);
}

async function* readPath(display: string, absolute: string): AsyncGenerator<readonly InputItem[], void, undefined> {
  let info: Stats;
  try {
    info = await stat(absolute);
  } catch (error) {
    yield [{ source: display, error: fsReason(error) }];
    return;
  }
  if (info.isDirectory()) {
    const entries = await listDirectory(display, absolute);
    // The next file is read while this one is parsed: at most two files in memory, no idle waits.
    const reads = new Map<number, Promise<Buffer | InputRejection>>();
    const prefetch = (index: number): void => {
      const entry = entries[index];
      if (entry !== undefined && !('error' in entry) && !reads.has(index)) reads.set(index, readBytes(entry.display, entry.absolute));
    };
    for (const [index, entry] of entries.entries()) {
      if ('error' in entry) {
        yield [{ source: entry.display, error: entry.error }];
        continue;
      }
      prefetch(index);
      const data = await (reads.get(index) as Promise<Buffer | InputRejection>);
      reads.delete(index);
      prefetch(index + 1);
      yield Buffer.isBuffer(data) ? parseInput(data, entry.display) : [data];
    }
  } else if (isReadable(info)) {
    yield await readOneFile(display, absolute);
  } else {
    yield [{ source: display, error: 'not a file or directory' }];
  }
}

/** Regular files, and pipes so that `replay <(zcat logs/*.gz)` works. */
const isReadable = (info: Stats): boolean => info.isFile() || info.isFIFO();

async function readBytes(display: string, absolute: string): Promise<Buffer | InputRejection> {
  try {
    return await readFile(absolute);
  } catch (error) {
    return { source: display, error: fsReason(error) };
  }
}

async function readOneFile(display: string, absolute: string): Promise<InputItem[]> {
  const data = await readBytes(display, absolute);
  return Buffer.isBuffer(data) ? parseInput(data, display) : [data];
}

type DirectoryEntry = { display: string; absolute: string } | { display: string; error: string };

/**
 * Every readable file under `absolute`, sorted by path (code-unit order, not locale), with the
 * entries that could not be read as errors in their sorted place. Hidden entries (`.name`) are skipped;
 * symbolic links are followed, each real directory visited once.
 */
async function listDirectory(display: string, absolute: string): Promise<DirectoryEntry[]> {
  const entries: DirectoryEntry[] = [];
  const visited = new Set<string>();
  const walk = async (dirDisplay: string, dirAbsolute: string): Promise<void> => {
    let names: string[];
    try {
      const real = await realpath(dirAbsolute);
      if (visited.has(real)) return;
      visited.add(real);
      names = await readdir(dirAbsolute);
    } catch (error) {
      entries.push({ display: dirDisplay, error: fsReason(error) });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const childDisplay = join(dirDisplay, name);
      const childAbsolute = join(dirAbsolute, name);
      let info: Stats;
      try {
        info = await stat(childAbsolute);
      } catch (error) {
        entries.push({ display: childDisplay, error: fsReason(error) });
        continue;
      }
      if (info.isDirectory()) await walk(childDisplay, childAbsolute);
      else if (isReadable(info)) entries.push({ display: childDisplay, absolute: childAbsolute });
      else entries.push({ display: childDisplay, error: 'not a file or directory' });
    }
  };
  await walk(display, absolute);
  return entries.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'no such file or directory (a parent is not a directory)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
  EISDIR: 'is a directory',
  EMFILE: 'too many open files',
};

function fsReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  return (code !== undefined ? FS_REASONS[code] : undefined) ?? `cannot read: ${code ?? messageOf(error)}`;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/**
 * Parses one input's bytes (a file's or stdin's), gunzipping them first when they start with the gzip
 * magic bytes. A damaged gzip still yields the events decoded before the damage, then the gzip error.
 */
export function parseInput(data: Buffer, name: string): InputItem[] {
  const out: InputItem[] = [];
  if (data[0] !== GZIP_MAGIC[0] || data[1] !== GZIP_MAGIC[1]) {
    parseDocument(data, name, false, out);
    return out;
  }
  let inflated: Buffer;
  try {
    inflated = gunzipSync(data);
  } catch (error) {
    parseDocument(salvageGzip(data), name, true, out);
    out.push({ source: name, error: `gzip: ${messageOf(error)}` });
    return out;
  }
  parseDocument(inflated, name, false, out);
  return out;
}

/** What can be inflated from a damaged gzip stream (empty if nothing). */
function salvageGzip(data: Buffer): Buffer {
  try {
    return gunzipSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    // Corrupt beyond the point of partial decoding: the caller reports the original gzip error.
    return Buffer.alloc(0);
  }
}

/** Below this, the extra ASCII check costs more than it saves. */
const COPY_ASCII_FROM_BYTES = 64 * 1024;

/**
 * The UTF-8 text of buf[start, end). CloudTrail logs are almost all ASCII, and ASCII bytes are their own
 * Latin-1 text: a whole log file is copied rather than decoded.
 */
function decode(buf: Buffer, start: number, end: number): string {
  const bytes = buf.subarray(start, end);
  return bytes.length >= COPY_ASCII_FROM_BYTES && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
const NEWLINE = 0x0a;

/**
 * `truncated`: the buffer is what could be saved from a damaged input; its cut-off tail is not
 * reported (the caller reports the damage once).
 */
function parseDocument(buf: Buffer, name: string, truncated: boolean, out: InputItem[]): void {
  const bom = buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2] ? 3 : 0;
  const start = skipWhitespace(buf, bom);
  if (start >= buf.length) {
    if (!truncated) out.push({ source: name, error: 'empty input: no events' });
    return;
  }
  const first = buf[start];
  if (first === OPEN_BRACKET || recordsArrayOpen(buf, start) >= 0) {
    parseDocumentSequence(buf, start, name, truncated, out);
  } else if (first === OPEN_BRACE && looksLikeJsonLines(buf, start)) {
    parseJsonLines(buf, bom, name, truncated, out);
  } else {
    parseWhole(buf, bom, start, name, truncated, out);
  }
}

/** A `{` document is JSON lines when its first line is a whole object (a pretty-printed one's is not). */
function looksLikeJsonLines(buf: Buffer, start: number): boolean {
  return lineIsObject(buf, start, lineEnd(buf, start));
}

function lineEnd(buf: Buffer, from: number): number {
  const nl = buf.indexOf(NEWLINE, from);
  return nl < 0 ? buf.length : nl;
}

function lineIsObject(buf: Buffer, from: number, to: number): boolean {
  const s = skipWhitespace(buf, from, to);
  const e = skipWhitespaceBack(buf, s, to);
  return e - s >= 2 && buf[s] === OPEN_BRACE && buf[e - 1] === CLOSE_BRACE;
}

/** One JSON value for the whole input; if it does not parse, a second line shaped like an event means JSON lines after all. */
function parseWhole(buf: Buffer, bom: number, start: number, name: string, truncated: boolean, out: InputItem[]): void {
  const text = decode(buf, start, buf.length);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (buf[start] === OPEN_BRACE && secondLineIsObject(buf, start)) {
      parseJsonLines(buf, bom, name, truncated, out);
    } else if (!truncated) {
      out.push({ source: name, error: describeJsonError(error, text) });
    }
    return;
  }
  expandValue(value, name, buf.length - start, out);
}

function secondLineIsObject(buf: Buffer, start: number): boolean {
  let from = lineEnd(buf, start) + 1;
  while (from < buf.length) {
    const to = lineEnd(buf, from);
    if (skipWhitespace(buf, from, to) < to) return lineIsObject(buf, from, to);
    from = to + 1;
  }
  return false;
}

function parseJsonLines(buf: Buffer, from: number, name: string, truncated: boolean, out: InputItem[]): void {
  let line = 0;
  let pos = from;
  while (pos < buf.length) {
    line++;
    const nl = buf.indexOf(NEWLINE, pos);
    const end = nl < 0 ? buf.length : nl;
    const s = skipWhitespace(buf, pos, end);
    const e = skipWhitespaceBack(buf, s, end);
    pos = end + 1;
    if (s === e) continue;
    const source = `${name}:${line}`;
    const text = decode(buf, s, e);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // The last, unterminated line of a salvaged input is where the damage cut it.
      if (!(truncated && nl < 0)) out.push({ source, error: describeJsonError(error, text) });
      continue;
    }
    expandValue(value, source, e - s, out);
  }
}

/**
 * Top-level values one after another: arrays and `{"Records": [...]}` documents are walked element by
 * element (each parsed on its own, so one bad record costs only itself); anything else is one event.
 * A structural break (truncation, garbage between values) ends the walk with one error.
 */
function parseDocumentSequence(buf: Buffer, start: number, name: string, truncated: boolean, out: InputItem[]): void {
  let index = 0;
  let pos = start;
  while (pos < buf.length) {
    const recordsOpen = recordsArrayOpen(buf, pos);
    const arrayOpen = recordsOpen >= 0 ? recordsOpen : buf[pos] === OPEN_BRACKET ? pos : -1;
    if (arrayOpen < 0) {
      const end = valueEnd(buf, pos);
      if (end < 0) {
        if (!truncated) out.push({ source: `${name}#${index}`, error: truncationReason(pos) });
        return;
      }
      if (end === pos) {
        // A stray `,` `]` or `}` between documents: no value starts here, and nothing after it can be trusted.
        out.push({ source: name, error: `malformed JSON: unexpected ${JSON.stringify(String.fromCharCode(buf[pos] ?? 0))} at byte ${pos}; the rest is skipped` });
        return;
      }
      parseSlice(buf, pos, end, `${name}#${index}`, out);
      index++;
      pos = skipWhitespace(buf, end);
      continue;
    }
    // Only the input's first document can be its only one: later ones are never tried to the end.
    const scan = readArray(buf, arrayOpen, recordsOpen >= 0, pos === start);
    const { values } = scan;
    for (let i = 0; i < scan.starts.length; i++) {
      const from = scan.starts[i] as number;
      const to = scan.ends[i] as number;
      if (values === undefined) parseSlice(buf, from, to, `${name}#${index}`, out);
      else out.push(messageOrEvent(values[i], `${name}#${index}`, to - from));
      index++;
    }
    if (scan.end.kind === 'truncated') {
      if (!truncated) out.push({ source: `${name}#${index}`, error: truncationReason(scan.end.start) });
      return;
    }
    if (scan.end.kind === 'unexpected') {
      out.push({ source: name, error: `malformed JSON: expected ',' or ']' after event #${index - 1} at byte ${scan.end.at}; the rest is skipped` });
      return;
    }
    const closedAt = scan.end.end;
    pos = skipWhitespace(buf, closedAt);
    if (recordsOpen >= 0) {
      if (buf[pos] !== CLOSE_BRACE) {
        if (pos >= buf.length) {
          if (!truncated) out.push({ source: name, error: truncationReason(pos) });
        } else {
          out.push({ source: name, error: `malformed JSON: expected '}' after the Records array at byte ${pos}; the rest is skipped` });
        }
        return;
      }
      pos = skipWhitespace(buf, pos + 1);
    }
  }
}

function truncationReason(at: number): string {
  return `malformed JSON: Unexpected end of JSON input in the value starting at byte ${at} (truncated input?)`;
}

/** The array's element spans, and its values when the whole array parses (else each span is parsed on its own). */
interface ReadArray extends ArrayScan {
  readonly values?: readonly unknown[];
}

/**
 * Reads the array opened at `open`. The common case, a CloudTrail log file (the input's first and only
 * document: the array runs to the end of the input, or to the `}` closing its Records document), costs
 * one JSON.parse and a search for where the records begin. Anything else (several documents one after
 * the other, other layouts) is scanned byte by byte for the element spans; a well-formed array is still
 * parsed whole, and an array with a bad element span by span, so that one bad record costs only itself.
 */
function readArray(buf: Buffer, open: number, inRecordsDocument: boolean, firstDocument: boolean): ReadArray {
  const toEnd = firstDocument ? arrayEndAtInputEnd(buf, inRecordsDocument) : -1;
  const whole = toEnd > open ? parseArrayText(buf, open, toEnd) : undefined;
  if (whole !== undefined) {
    const spans = whole.every(beginsLikeCloudTrail) ? recordSpans(buf, open, toEnd, whole.length) : undefined;
    if (spans !== undefined) return { ...spans, values: whole, end: { kind: 'closed', end: toEnd } };
  }
  const scan = scanArray(buf, open);
  const closedAt = scan.end.kind === 'closed' ? scan.end.end : -1;
  // Not parsed again when the text is the one that just failed (a bad record): then span by span.
  const values = whole ?? (closedAt > open && closedAt !== toEnd ? parseArrayText(buf, open, closedAt) : undefined);
  return values?.length === scan.ends.length ? { ...scan, values } : scan;
}

/** Where the array would close if it ran to the end of the input (or to its document's final `}`); -1 if the input does not end that way. */
function arrayEndAtInputEnd(buf: Buffer, inRecordsDocument: boolean): number {
  let end = skipWhitespaceBack(buf, 0, buf.length);
  if (inRecordsDocument) {
    if (buf[end - 1] !== CLOSE_BRACE) return -1;
    end = skipWhitespaceBack(buf, 0, end - 1);
  }
  return buf[end - 1] === CLOSE_BRACKET ? end : -1;
}

/** The elements of the array text `buf[open, closedAt)`; undefined if it is not one JSON array. */
function parseArrayText(buf: Buffer, open: number, closedAt: number): unknown[] | undefined {
  let values: unknown;
  try {
    values = JSON.parse(decode(buf, open, closedAt));
  } catch {
    return undefined;
  }
  return Array.isArray(values) ? values : undefined;
}

/** An object whose first key is `eventVersion`, as CloudTrail writes its records. */
function beginsLikeCloudTrail(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) return key === 'eventVersion';
  return false;
}

function parseSlice(buf: Buffer, start: number, end: number, source: string, out: InputItem[]): void {
  const text = decode(buf, start, end);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    out.push({ source, error: describeJsonError(error, text) });
    return;
  }
  out.push(messageOrEvent(value, source, end - start));
}

/** A `{"Records": [...]}` object yields its records; anything else is one event. */
function expandValue(value: unknown, source: string, bytes: number, out: InputItem[]): void {
  if (!isRecordsDocument(value)) {
    out.push(messageOrEvent(value, source, bytes));
    return;
  }
  // Records inside an already-parsed document: their own text length is unknown without re-serialising.
  for (let i = 0; i < value.Records.length; i++) out.push(messageOrEvent(value.Records[i], `${source}#${i}`, undefined));
}

function isRecordsDocument(value: unknown): value is { Records: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);
}

const SQS_EVENT_SOURCE = 'aws:sqs';

/** An SQS message (as Lambda receives it) stands for the event in its body; any other value is the event. */
function messageOrEvent(value: unknown, source: string, bytes: number | undefined): InputItem {
  if (typeof value !== 'object' || value === null || (value as { eventSource?: unknown }).eventSource !== SQS_EVENT_SOURCE) {
    return bytes === undefined ? { source, value } : { source, value, bytes };
  }
  return { source, ...parseMessageBody((value as { body?: unknown }).body) };
}
