/**
 * Reads CloudTrail activity for `q-triage replay`: files, directories (recursive, in S3-key time order) and
 * `-` (stdin). Every input becomes either a parsed value or a rejection with a reason; nothing here
 * validates events (that is `normalizeEvent`'s job), and one bad line or file never stops the others.
 *
 * Files are read whole, one at a time (the next one is read while the current one is parsed); stdin is
 * read whole too, then parsed like a file. A directory with no file to read is rejected. A file larger than
 * the per-file limit, or a gzip that inflates past the decompressed limit, is rejected with the limit in
 * the reason (see InputLimits), and the other files are still read.
 *
 * Formats, detected per file from its content (never from its name):
 * - gzip (magic bytes 1f 8b), one member or several (`cat *.json.gz`), wrapping any of the formats below;
 *   a damaged one yields what decodes before the damage and from the next whole member on;
 * - a `{"Records": [ … ]}` document: CloudTrail log files as delivered to S3, and SQS event files as a
 *   Lambda function receives them (records with `eventSource: "aws:sqs"`, whose `body` is the event);
 *   several such documents concatenated (`zcat *.json.gz`) are read one after the other, and after
 *   damage (a document cut short, stray text between documents) reading resumes at the next one;
 * - `aws cloudtrail lookup-events` output (`{"Events": [ … ]}`, each event's record a JSON string in
 *   `CloudTrailEvent`), whole or one event per line;
 * - CloudTrail digest files, skipped without a word (they hold hashes of log files, no events);
 * - a JSON array of events;
 * - JSON lines (one event per line, blank lines skipped, a bad line costing only itself); a line holding
 *   a `{"Records": […]}` document is expanded into its records;
 * - a single JSON object, pretty-printed or not.
 *
 * Sources name where a value came from:
 * - `FILE:LINE` for JSON lines (LINE counts from 1, blank lines included), `-:LINE` for stdin;
 * - `FILE#INDEX` for an event inside a Records document or an array (INDEX counts from 0, in file
 *   order, continuing across concatenated documents: `jq '.Records[INDEX]'` for a single document);
 * - `FILE:LINE#INDEX` for a record of a Records document found on line LINE of a JSON-lines file;
 * - `FILE` for a single-object file, for failures of the whole file (unreadable, bad gzip, not JSON) and
 *   for damage between records (stray text, a document cut between two records).
 * JSON error positions are relative to the text of the line or record named by the source; `byte N`
 * counts from the start of the input (gunzipped, except in gzip reasons).
 *
 * `bytes` is the UTF-8 length of the event's own JSON text when the reader sliced it out anyway (lines,
 * records and array elements, SQS bodies, single-object files); omitted otherwise.
 */
import { isAscii } from 'node:buffer';
import { constants as zlibConstants, crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { nextDocumentStart, objectEnd, recordSpans, scanArray, skipWhitespaceBack, type ArrayScan, recordsArrayOpen, skipWhitespace, valueEnd } from './input-json';
import { CLOSE_BRACE, CLOSE_BRACKET, describeJsonError, jsonErrorOffset, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../events/json-error';
import { parseMessageBody } from '../events/sqs';
import { errorMessage, QTriageError } from '../errors';

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

/**
 * What one input may cost, so that one file (a gzip bomb, a stray disk image) is rejected with the limit in
 * its reason and the other files are still read. CloudTrail delivers a log file every few minutes per Region
 * and account; a file is a few MB, rarely tens.
 */
export interface InputLimits {
  /** Bytes of a file (or of standard input) as read. */
  readonly maxFileBytes: number;
  /** Bytes a gzip input may inflate to. */
  readonly maxDecompressedBytes: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxFileBytes: 512 * 1024 * 1024, maxDecompressedBytes: 512 * 1024 * 1024 };

export interface ReadInputsOptions {
  /** Read for the path `-`. Without it, `-` is a rejection. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Relative paths are resolved against it (sources keep the path as given). Default: process.cwd(). */
  readonly cwd?: string;
  /** Default: DEFAULT_INPUT_LIMITS. */
  readonly limits?: InputLimits;
}

export const STDIN_PATH = '-';

/**
 * Every event of every path, in order (paths as given, files of a directory in S3-key time order), one array
 * per file or per problem: a 100k-event replay would otherwise pay several promise hops per event.
 */
export async function* readInputBatches(
  paths: readonly string[],
  options: ReadInputsOptions = {},
): AsyncGenerator<readonly InputItem[], void, undefined> {
  const cwd = options.cwd ?? process.cwd();
  const limits = options.limits ?? DEFAULT_INPUT_LIMITS;
  let stdinRead = false;
  for (const path of paths) {
    if (path === STDIN_PATH) {
      if (options.stdin === undefined) {
        yield [{ source: STDIN_PATH, error: 'no standard input to read' }];
      } else if (stdinRead) {
        yield [{ source: STDIN_PATH, error: 'standard input was already read (- given twice)' }];
      } else {
        stdinRead = true;
        yield await readStdin(options.stdin, limits);
      }
      continue;
    }
    yield* readPath(path, resolve(cwd, path), limits);
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

async function readStdin(stdin: NodeJS.ReadableStream, limits: InputLimits): Promise<InputItem[]> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stdin) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > limits.maxFileBytes) return [{ source: STDIN_PATH, error: tooLarge('standard input', limits.maxFileBytes) }];
      chunks.push(bytes);
    }
  } catch (error) {
    return [{ source: STDIN_PATH, error: `cannot read standard input: ${errorMessage(error)}` }];
  }
  return parseInput(Buffer.concat(chunks), STDIN_PATH, limits);
}

const tooLarge = (what: string, limit: number): string => `${what} is larger than ${limit} bytes, the per-file limit: not read`;

async function* readPath(display: string, absolute: string, limits: InputLimits): AsyncGenerator<readonly InputItem[], void, undefined> {
  let info: Stats;
  try {
    info = await stat(absolute);
  } catch (error) {
    yield [{ source: display, error: fsReason(error) }];
    return;
  }
  if (info.isDirectory()) {
    const entries = await listDirectory(display, absolute);
    if (entries.length === 0) yield [{ source: display, error: 'no files to read (hidden entries are skipped)' }];
    // The next file is read while this one is parsed: at most two files in memory, no idle waits.
    const reads = new Map<number, Promise<Buffer | InputRejection>>();
    const prefetch = (index: number): void => {
      const entry = entries[index];
      if (entry !== undefined && !('error' in entry) && !reads.has(index)) reads.set(index, readBytes(entry.display, entry.absolute, limits));
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
      yield Buffer.isBuffer(data) ? parseInput(data, entry.display, limits) : [data];
    }
  } else if (isReadable(info)) {
    yield await readOneFile(display, absolute, limits);
  } else {
    yield [{ source: display, error: 'not a file or directory' }];
  }
}

/** Regular files, and pipes so that `replay <(zcat logs/*.gz)` works. */
const isReadable = (info: Stats): boolean => info.isFile() || info.isFIFO();

async function readBytes(display: string, absolute: string, limits: InputLimits): Promise<Buffer | InputRejection> {
  try {
    // A pipe has no size to ask: it is read, then measured.
    const info = await stat(absolute);
    if (info.isFile() && info.size > limits.maxFileBytes) return { source: display, error: tooLarge('the file', limits.maxFileBytes) };
    const data = await readFile(absolute);
    return data.length > limits.maxFileBytes ? { source: display, error: tooLarge('the file', limits.maxFileBytes) } : data;
  } catch (error) {
    return { source: display, error: fsReason(error) };
  }
}

async function readOneFile(display: string, absolute: string, limits: InputLimits): Promise<InputItem[]> {
  const data = await readBytes(display, absolute, limits);
  return Buffer.isBuffer(data) ? parseInput(data, display, limits) : [data];
}

type DirectoryEntry = { display: string; absolute: string } | { display: string; error: string };

/**
 * Every readable file under `absolute`, in S3-key time order (see byKeyTime), with the
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
  return entries.sort(byKeyTime);
}

/**
 * CloudTrail names each log file after the time it covers: `ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_ID.json.gz`
 * under `AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`. Path order reads one Region's (or account's) days
 * before the next one's; replay settles events as it reads (a reorder window of minutes), so it needs them
 * in time order across Regions and accounts.
 */
const CLOUDTRAIL_FILE_TIME = /_CloudTrail_[a-z0-9-]+_(\d{8}T\d{4}Z)_/;

/** Files named like CloudTrail's by the time in their names, then by path (code-unit order, not locale); other files first, by path. */
function byKeyTime(a: { display: string }, b: { display: string }): number {
  const aTime = CLOUDTRAIL_FILE_TIME.exec(a.display)?.[1] ?? '';
  const bTime = CLOUDTRAIL_FILE_TIME.exec(b.display)?.[1] ?? '';
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  return a.display < b.display ? -1 : a.display > b.display ? 1 : 0;
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

/** Why a path could not be read, in the words of `ls` and `cat`. */
export function fsReason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  return (code !== undefined ? FS_REASONS[code] : undefined) ?? `cannot read: ${code ?? errorMessage(error)}`;
}

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** zlib's code when an output would pass `maxOutputLength`. */
const BUFFER_TOO_LARGE = 'ERR_BUFFER_TOO_LARGE';
const isTooLarge = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === BUFFER_TOO_LARGE;

class DecompressedTooLargeError extends QTriageError {
  override readonly name = 'DecompressedTooLargeError';
}

const bombReason = (limit: number): string => `gzip: decompresses to more than ${limit} bytes, the per-file limit (a compression bomb?): not read`;

/**
 * Parses one input's bytes (a file's or stdin's), gunzipping them first when they start with the gzip
 * magic bytes. A damaged gzip still yields what decodes (see salvageGzip), then one reason per damage;
 * one that inflates past the limit is rejected whole, with the limit in the reason.
 */
export function parseInput(data: Buffer, name: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): InputItem[] {
  const out: InputItem[] = [];
  if (data[0] !== GZIP_MAGIC[0] || data[1] !== GZIP_MAGIC[1]) {
    parseDocument(data, name, false, out);
    return out;
  }
  const maxOutputLength = limits.maxDecompressedBytes;
  let inflated: Buffer;
  try {
    inflated = gunzipSync(data, { maxOutputLength });
  } catch (error) {
    if (isTooLarge(error)) return [{ source: name, error: bombReason(maxOutputLength) }];
    let salvaged: GzipSalvage;
    try {
      salvaged = salvageGzip(data, maxOutputLength);
    } catch (salvageError) {
      if (salvageError instanceof DecompressedTooLargeError) return [{ source: name, error: bombReason(maxOutputLength) }];
      throw salvageError;
    }
    if (salvaged.inflated.length > 0) parseDocument(salvaged.inflated, name, salvaged.cut, out);
    for (const damage of salvaged.damage) out.push({ source: name, error: `gzip: ${damage}` });
    return out;
  }
  parseDocument(inflated, name, false, out);
  return out;
}

interface GzipSalvage {
  readonly inflated: Buffer;
  /** The inflated data ends with a damaged member's, possibly in the middle of a value. */
  readonly cut: boolean;
  /** One reason per damaged stretch. */
  readonly damage: readonly string[];
}

/**
 * Reads a gzip input that gunzip rejected member by member (`cat a.gz b.gz` is one input): whole members
 * are kept, a damaged one gives what decodes before the damage, and reading resumes at the next member
 * that inflates whole (bytes that are not gzip, after the last member, are skipped).
 */
function salvageGzip(data: Buffer, maxOutputLength: number): GzipSalvage {
  const parts: Buffer[] = [];
  const damage: string[] = [];
  let cut = false;
  let pos = 0;
  let total = 0;
  const keep = (output: Buffer): void => {
    total += output.length;
    if (total > maxOutputLength) throw new DecompressedTooLargeError(`more than ${maxOutputLength} bytes`);
    parts.push(output);
  };
  const inflate = (compressed: Buffer): { readonly output: Buffer; readonly used: number } => inflateStream(compressed, maxOutputLength - total);
  while (pos < data.length) {
    const member = wholeMember(data, pos, inflate);
    if (member !== undefined) {
      keep(member.output);
      cut = false;
      pos = member.end;
      continue;
    }
    const next = nextWholeMember(data, pos + 1, inflate);
    const damaged = damagedMember(data, pos, next, inflate);
    if (damaged.decoded.length > 0) {
      keep(damaged.decoded);
      // Keeps a cut line of JSON lines from running into the next member's first line.
      if (next < data.length) parts.push(LINE_BREAK);
      cut = true;
    }
    damage.push(next < data.length ? `${damaged.reason}; reading resumes at byte ${next}` : damaged.reason);
    pos = next;
  }
  return { inflated: Buffer.concat(parts), cut, damage };
}

const LINE_BREAK = Buffer.from('\n');
/** A gzip member's first bytes: the magic bytes, then deflate, the only compression method gzip defines. */
const GZIP_MEMBER_START = Buffer.from([GZIP_MAGIC[0], GZIP_MAGIC[1], 0x08]);
const GZIP_HEADER_BYTES = 10;
/** CRC-32 and size of the uncompressed data, each 4 bytes little-endian. */
const GZIP_TRAILER_BYTES = 8;
const GZIP_FLAG = { headerCrc: 0x02, extra: 0x04, name: 0x08, comment: 0x10, reserved: 0xe0 } as const;

/** Index of the compressed data of the gzip member whose header (RFC 1952) starts at `at`; -1 if no header starts there. */
function gzipBodyStart(data: Buffer, at: number): number {
  if (at + GZIP_HEADER_BYTES > data.length || data.compare(GZIP_MEMBER_START, 0, GZIP_MEMBER_START.length, at, at + GZIP_MEMBER_START.length) !== 0) return -1;
  const flags = data[at + 3] as number;
  if ((flags & GZIP_FLAG.reserved) !== 0) return -1;
  let i = at + GZIP_HEADER_BYTES;
  if ((flags & GZIP_FLAG.extra) !== 0) {
    if (i + 2 > data.length) return -1;
    i += 2 + data.readUInt16LE(i);
  }
  for (const field of [GZIP_FLAG.name, GZIP_FLAG.comment]) {
    if ((flags & field) === 0) continue;
    const terminator = i < data.length ? data.indexOf(0, i) : -1;
    if (terminator < 0) return -1;
    i = terminator + 1;
  }
  if ((flags & GZIP_FLAG.headerCrc) !== 0) i += 2;
  return i <= data.length ? i : -1;
}

type Inflate = (compressed: Buffer) => { readonly output: Buffer; readonly used: number };

/**
 * Raw inflate of `compressed` up to the end of its deflate stream, or of all of it if it is cut; throws on
 * corrupt data, and DecompressedTooLargeError past `maxOutputLength` bytes.
 */
function inflateStream(compressed: Buffer, maxOutputLength: number): { readonly output: Buffer; readonly used: number } {
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    // With `info`, zlib also returns its engine, whose bytesWritten counts the input bytes consumed.
    result = inflateRawSync(compressed, { info: true, finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, maxOutputLength) }) as unknown as typeof result;
  } catch (error) {
    if (isTooLarge(error)) throw new DecompressedTooLargeError(`more than ${maxOutputLength} bytes`, { cause: error });
    throw error;
  }
  return { output: result.buffer, used: result.engine.bytesWritten };
}

/** The member starting at `at` when it is whole (its trailer present and matching): its output and end. */
function wholeMember(data: Buffer, at: number, inflate: Inflate): { readonly output: Buffer; readonly end: number } | undefined {
  const body = gzipBodyStart(data, at);
  if (body < 0) return undefined;
  let stream: { output: Buffer; used: number };
  try {
    stream = inflate(data.subarray(body));
  } catch (error) {
    if (error instanceof DecompressedTooLargeError) throw error;
    return undefined;
  }
  const trailer = body + stream.used;
  if (trailer + GZIP_TRAILER_BYTES > data.length) return undefined;
  const { output } = stream;
  if (data.readUInt32LE(trailer) !== crc32(output) || data.readUInt32LE(trailer + 4) !== output.length % 2 ** 32) return undefined;
  return { output, end: trailer + GZIP_TRAILER_BYTES };
}

/** Where the first whole member at or after `from` starts; data.length if there is none. */
function nextWholeMember(data: Buffer, from: number, inflate: Inflate): number {
  for (let at = data.indexOf(GZIP_MEMBER_START, from); at >= 0; at = data.indexOf(GZIP_MEMBER_START, at + 1)) {
    if (wholeMember(data, at, inflate) !== undefined) return at;
  }
  return data.length;
}

/** What the damaged stretch data[at, end) decodes to before its damage, and what the damage is. */
function damagedMember(data: Buffer, at: number, end: number, inflate: Inflate): { readonly decoded: Buffer; readonly reason: string } {
  const body = gzipBodyStart(data, at);
  if (body < 0) return { decoded: Buffer.alloc(0), reason: `not gzip data from byte ${at}` };
  const where = at > 0 ? ` in the member at byte ${at}` : '';
  const compressed = data.subarray(body, end);
  try {
    const { output, used } = inflate(compressed);
    // It decodes: either its trailer does not match, or it stops early (the input ends, or the next member starts).
    if (body + used + GZIP_TRAILER_BYTES <= end) return { decoded: output, reason: `incorrect data check${where}` };
    return { decoded: output, reason: end < data.length ? `the member at byte ${at} is cut short` : `unexpected end of file${where}` };
  } catch (error) {
    if (error instanceof DecompressedTooLargeError) throw error;
    return { decoded: decodablePrefix(compressed, inflate), reason: errorMessage(error) + where };
  }
}

/** The output of the longest prefix of `compressed` that inflates (binary search: a corrupt byte fails every prefix that holds it). */
function decodablePrefix(compressed: Buffer, inflate: Inflate): Buffer {
  let decoded: Buffer = Buffer.alloc(0);
  let good = 0;
  let bad = compressed.length;
  while (bad - good > 1) {
    const length = Math.floor((good + bad) / 2);
    try {
      decoded = inflate(compressed.subarray(0, length)).output;
      good = length;
    } catch (error) {
      if (error instanceof DecompressedTooLargeError) throw error;
      bad = length;
    }
  }
  return decoded;
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

/** One JSON value for the whole input; if it does not parse, a second line that is an object means JSON lines after all. */
function parseWhole(buf: Buffer, bom: number, start: number, name: string, truncated: boolean, out: InputItem[]): void {
  const parsed = parseSpan(buf, start, buf.length);
  if ('value' in parsed) expandValue(parsed.value, name, buf.length - start, out);
  else if (secondLineIsObject(buf, start)) parseJsonLines(buf, bom, name, truncated, out);
  else if (!truncated) out.push({ source: name, error: parsed.error });
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
    const parsed = parseSpan(buf, s, e);
    if ('value' in parsed) expandValue(parsed.value, source, e - s, out);
    // The last, unterminated line of a salvaged input is where the damage cut it.
    else if (!(truncated && nl < 0)) out.push({ source, error: parsed.error });
  }
}

/**
 * Top-level values one after another: arrays and `{"Records": [...]}` documents are walked element by
 * element (each parsed on its own, so one bad record costs only itself); anything else is one event.
 * Damage (a value cut short, stray text between values) is rejected once, and reading resumes at the
 * next document start: `zcat` carries on after a truncated file, and so does this.
 */
function parseDocumentSequence(buf: Buffer, start: number, name: string, truncated: boolean, out: InputItem[]): void {
  let index = 0;
  let pos = start;
  /**
   * Rejects the damaged stretch once; returns where reading resumes: the next document start at or after
   * `from`, else the end. `atEnd`: the input may just end there, which a salvaged input does not report.
   */
  const skipDamage = (from: number, source: string, reason: string, atEnd: boolean): number => {
    const next = nextDocumentStart(buf, from);
    if (next >= 0) out.push({ source, error: `${reason}; reading resumes at byte ${next}` });
    else if (!atEnd) out.push({ source, error: `${reason}; the rest is skipped` });
    else if (!truncated) out.push({ source, error: reason });
    return next >= 0 ? next : buf.length;
  };
  /**
   * Yields the value parsed from buf[from, to) as the next event; returns -1, or where reading resumes
   * when the value did not parse because a document starting in it (at or after `cutFrom`) cut it.
   */
  const take = (parsed: ParsedSpan, from: number, to: number, cutFrom: number): number => {
    const source = `${name}#${index++}`;
    if ('value' in parsed) {
      out.push(messageOrEvent(parsed.value, source, to - from));
      return -1;
    }
    const cut = documentCutIn(buf, from, cutFrom, to);
    if (cut >= 0) return skipDamage(cut, source, truncationReason(from), true);
    out.push({ source, error: parsed.error });
    return -1;
  };
  while (pos < buf.length) {
    const recordsOpen = recordsArrayOpen(buf, pos);
    const arrayOpen = recordsOpen >= 0 ? recordsOpen : buf[pos] === OPEN_BRACKET ? pos : -1;
    if (arrayOpen < 0) {
      const end = valueEnd(buf, pos);
      if (end < 0) {
        pos = skipDamage(pos + 1, `${name}#${index++}`, truncationReason(pos), true);
        continue;
      }
      const parsed = end > pos ? parseSpan(buf, pos, end) : undefined;
      if (parsed === undefined || ('error' in parsed && buf[pos] !== OPEN_BRACE && buf[pos] !== QUOTE)) {
        // No JSON value starts here (a stray `,` `]` `}`, words): one rejection for the whole run.
        pos = skipDamage(pos + 1, name, unexpectedByte(buf, pos), false);
      } else {
        const resumeAt = take(parsed, pos, end, pos + 1);
        pos = resumeAt >= 0 ? resumeAt : skipWhitespace(buf, end);
      }
      continue;
    }
    // Only the input's first document can be its only one: later ones are never tried to the end.
    const { starts, ends, values, end: arrayEnd } = readArray(buf, arrayOpen, recordsOpen >= 0, pos === start);
    // A document cut right before an element may have taken the next document for that element.
    const last = starts.length - 1;
    const swallowed = arrayEnd.kind !== 'closed' && last >= 0 && recordsArrayOpen(buf, starts[last] as number) >= 0;
    const count = swallowed ? last : starts.length;
    let resumeAt = -1;
    if (values !== undefined) {
      for (let i = 0; i < count; i++) out.push(messageOrEvent(values[i], `${name}#${index++}`, (ends[i] as number) - (starts[i] as number)));
    } else {
      for (let i = 0; i < count && resumeAt < 0; i++) {
        const from = starts[i] as number;
        const to = ends[i] as number;
        resumeAt = take(parseSpan(buf, from, to), from, to, from);
      }
    }
    if (resumeAt >= 0) {
      pos = resumeAt;
    } else if (swallowed) {
      pos = skipDamage(starts[last] as number, name, truncationReason(pos), true);
    } else if (arrayEnd.kind === 'truncated') {
      pos = skipDamage(arrayEnd.start, `${name}#${index++}`, truncationReason(arrayEnd.start), true);
    } else if (arrayEnd.kind === 'unexpected') {
      pos = skipDamage(arrayEnd.at, name, `malformed JSON: expected ',' or ']' after event #${index - 1} at byte ${arrayEnd.at}`, false);
    } else if (recordsOpen < 0) {
      pos = skipWhitespace(buf, arrayEnd.end);
    } else {
      // The document's other members (a nextToken, say) are not events.
      const close = objectEnd(buf, arrayEnd.end);
      if (close.kind === 'closed') pos = skipWhitespace(buf, close.end);
      else if (close.kind === 'truncated') pos = skipDamage(arrayEnd.end, name, truncationReason(close.start), true);
      else pos = skipDamage(arrayEnd.end, name, `${unexpectedByte(buf, close.at)} after the Records array`, false);
    }
  }
}

function truncationReason(at: number): string {
  return `malformed JSON: Unexpected end of JSON input in the value starting at byte ${at} (truncated input?)`;
}

function unexpectedByte(buf: Buffer, at: number): string {
  return `malformed JSON: unexpected ${JSON.stringify(String.fromCharCode(buf[at] ?? 0))} at byte ${at}`;
}

/**
 * Where the next document starts inside buf[start, end), a value that did not parse (searched from
 * `from`), if the value was cut there; -1 otherwise. A cut leaves the beginning of a valid value before
 * the document start, which a bad record that merely nests a `{"Records"` object after its fault does not.
 */
function documentCutIn(buf: Buffer, start: number, from: number, end: number): number {
  const at = nextDocumentStart(buf, from, end);
  if (at < 0) return -1;
  const before = decode(buf, start, at);
  return jsonErrorOffset(before) === before.length ? at : -1;
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

type ParsedSpan = { readonly value: unknown } | { readonly error: string };

function parseSpan(buf: Buffer, start: number, end: number): ParsedSpan {
  const text = decode(buf, start, end);
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: describeJsonError(error, text) };
  }
}

/**
 * A `{"Records": [...]}` object yields its records, and `aws cloudtrail lookup-events` output
 * (`{"Events": [...]}`) its events; a CloudTrail digest file yields nothing (it lists log files and their
 * hashes, no event); anything else is one event.
 */
function expandValue(value: unknown, source: string, bytes: number, out: InputItem[]): void {
  if (isDigestFile(value)) return;
  const list = isRecordsDocument(value) ? value.Records : isLookupEventsOutput(value) ? value.Events : undefined;
  if (list === undefined) {
    out.push(messageOrEvent(value, source, bytes));
    return;
  }
  // Records inside an already-parsed document: their own text length is unknown without re-serialising.
  for (let i = 0; i < list.length; i++) out.push(messageOrEvent(list[i], `${source}#${i}`, undefined));
}

function isRecordsDocument(value: unknown): value is { Records: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);
}

/** `aws cloudtrail lookup-events` output (CloudTrail API reference, LookupEvents): `Events`, and maybe `NextToken`. */
function isLookupEventsOutput(value: unknown): value is { Events: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Events?: unknown }).Events);
}

/** CloudTrail digest files (CloudTrail user guide, "CloudTrail digest file structure") sit beside the logs in a trail folder. */
function isDigestFile(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { digestStartTime, logFiles } = value as { digestStartTime?: unknown; logFiles?: unknown };
  return typeof digestStartTime === 'string' && Array.isArray(logFiles);
}

const SQS_EVENT_SOURCE = 'aws:sqs';

/**
 * An SQS message (as Lambda receives it) stands for the event in its body, and a lookup-events event for the
 * record in its `CloudTrailEvent` string; any other value is the event.
 */
function messageOrEvent(value: unknown, source: string, bytes: number | undefined): InputItem {
  if (typeof value === 'object' && value !== null) {
    if ((value as { eventSource?: unknown }).eventSource === SQS_EVENT_SOURCE) return { source, ...parseMessageBody((value as { body?: unknown }).body) };
    const { CloudTrailEvent: record } = value as { CloudTrailEvent?: unknown };
    if (typeof record === 'string') return lookupEventRecord(record, source);
  }
  return bytes === undefined ? { source, value } : { source, value, bytes };
}

function lookupEventRecord(text: string, source: string): InputItem {
  try {
    return { source, value: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) };
  } catch (error) {
    return { source, error: `CloudTrailEvent is not JSON: ${describeJsonError(error, text)}` };
  }
}
