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
 *
 * One module per input kind: files.ts (paths, directories, S3-key order, limits), gzip.ts, parse.ts (which
 * kind a content is), documents.ts (Records documents, arrays, concatenations), lines.ts (JSON lines),
 * values.ts (what a parsed value stands for: records, lookup-events events, SQS bodies, digests); json-bytes.ts
 * and json-text.ts find and parse JSON in the bytes.
 */
import { resolve } from 'node:path';
import { parseInput } from './parse';
import { readPath, tooLarge } from './files';
import { DEFAULT_INPUT_LIMITS, type InputItem, type InputLimits } from './types';
import { errorMessage } from '../../errors';

export {
  DEFAULT_INPUT_LIMITS,
  isInputRejection,
  type InputEvent,
  type InputItem,
  type InputLimits,
  type InputRejection,
} from './types';
export { fsReason } from './files';

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
      if (size > limits.maxFileBytes)
        return [{ source: STDIN_PATH, error: tooLarge('standard input', limits.maxFileBytes) }];
      chunks.push(bytes);
    }
  } catch (error) {
    return [{ source: STDIN_PATH, error: `cannot read standard input: ${errorMessage(error)}` }];
  }
  return parseInput(Buffer.concat(chunks), STDIN_PATH, limits);
}
