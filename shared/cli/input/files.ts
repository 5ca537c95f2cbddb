/**
 * Files and directories for the replay reader: a directory is walked recursively and its files read in
 * S3-key time order, one at a time (the next one read while the current one is parsed); each file is
 * rejected past the per-file limit, and every file system failure is said in the words of `ls` and `cat`.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { parseInput } from './parse';
import type { InputItem, InputLimits, InputRejection } from './types';
import { errorMessage } from '../../errors';

export const tooLarge = (what: string, limit: number): string =>
  `${what} is larger than ${limit} bytes, the per-file limit: not read`;

export async function* readPath(
  display: string,
  absolute: string,
  limits: InputLimits,
): AsyncGenerator<readonly InputItem[], void, undefined> {
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
      if (entry !== undefined && !('error' in entry) && !reads.has(index))
        reads.set(index, readBytes(entry.display, entry.absolute, limits));
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
    if (info.isFile() && info.size > limits.maxFileBytes)
      return { source: display, error: tooLarge('the file', limits.maxFileBytes) };
    const data = await readFile(absolute);
    return data.length > limits.maxFileBytes
      ? { source: display, error: tooLarge('the file', limits.maxFileBytes) }
      : data;
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
