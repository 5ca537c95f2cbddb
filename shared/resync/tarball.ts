/**
 * Unpacks the playbook tarball in memory and checks that it is what it claims: one top-level
 * directory of regular files, no links, no device files, no path that leaves the tree, within file
 * count and size caps. Any violation refuses the whole archive (nothing is returned, nothing written).
 */
import { gunzipSync } from 'node:zlib';
import { extract as createExtract, type Header } from 'tar-stream';
import { UnsafeArchiveError } from './errors';
import { errorMessage } from '../errors';

export interface ArchiveLimits {
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxUnpackedBytes: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxFiles: 5_000,
  maxFileBytes: 10 * 1024 * 1024,
  maxUnpackedBytes: 200 * 1024 * 1024,
};

export interface PlaybookTree {
  /** Included files by path relative to the stripped top-level directory. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** The commit GitHub records in the pax global header comment, when present. */
  readonly commit?: string;
  readonly topLevel: string;
  /** Entries in the archive (files and directories), included or not. */
  readonly entryCount: number;
}

const BLOCK = 512;

/** GitHub tarballs open with a pax global header whose `comment` record is the commit sha. */
export function readPaxGlobalComment(tar: Buffer): string | undefined {
  if (tar.length < BLOCK || tar[156] !== 'g'.charCodeAt(0)) return undefined;
  const size = parseInt(tar.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
  if (!Number.isFinite(size) || size <= 0 || BLOCK + size > tar.length) return undefined;
  const records = tar
    .subarray(BLOCK, BLOCK + size)
    .toString('utf8')
    .split('\n');
  for (const record of records) {
    const match = /^\d+ comment=([0-9a-f]{7,64})$/.exec(record);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

const LINK_TYPES = new Set(['symlink', 'link']);
const SAFE_TYPES = new Set(['file', 'contiguous-file', 'directory']);

function checkedSegments(name: string): string[] {
  if (name.includes('\0')) throw new UnsafeArchiveError('corrupt', 'entry name contains a NUL byte');
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name))
    throw new UnsafeArchiveError('absolute-path', `absolute path in archive: ${JSON.stringify(name)}`);
  const segments = name.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..'))
    throw new UnsafeArchiveError('path-traversal', `path leaves the tree: ${JSON.stringify(name)}`);
  return segments;
}

function gunzip(gzipped: Buffer, limits: ArchiveLimits): Buffer {
  // Tar headers and padding add at most two blocks per entry on top of the file contents.
  const maxOutputLength = limits.maxUnpackedBytes + (limits.maxFiles + 2) * 2 * BLOCK;
  try {
    return gunzipSync(gzipped, { maxOutputLength });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UnsafeArchiveError('archive-too-large', `archive unpacks to more than ${maxOutputLength} bytes`, {
        cause: error,
      });
    }
    throw new UnsafeArchiveError('corrupt', 'archive is not valid gzip', { cause: error });
  }
}

export async function unpackTarball(
  gzipped: Buffer,
  limits: ArchiveLimits,
  include: (path: string) => boolean,
): Promise<PlaybookTree> {
  const tar = gunzip(gzipped, limits);
  const commit = readPaxGlobalComment(tar);
  const files = new Map<string, Buffer>();
  let topLevel: string | undefined;
  let entryCount = 0;
  let unpackedBytes = 0;

  const check = (header: Header): { path: string; keep: boolean } => {
    const segments = checkedSegments(header.name);
    const type = header.type ?? 'file';
    if (LINK_TYPES.has(type))
      throw new UnsafeArchiveError(
        'link',
        `${type} in archive: ${JSON.stringify(header.name)} → ${JSON.stringify(header.linkname ?? '')}`,
      );
    if (!SAFE_TYPES.has(type))
      throw new UnsafeArchiveError('special-file', `${type} entry in archive: ${JSON.stringify(header.name)}`);
    entryCount += 1;
    if (entryCount > limits.maxFiles)
      throw new UnsafeArchiveError('too-many-files', `archive has more than ${limits.maxFiles} entries`);
    const [first, ...rest] = segments;
    if (first === undefined) throw new UnsafeArchiveError('corrupt', 'entry with an empty name');
    topLevel ??= first;
    if (first !== topLevel || (type !== 'directory' && rest.length === 0)) {
      throw new UnsafeArchiveError(
        'no-top-level-directory',
        `entry outside the top-level directory ${JSON.stringify(topLevel)}: ${JSON.stringify(header.name)}`,
      );
    }
    const size = header.size ?? 0;
    if (size > limits.maxFileBytes)
      throw new UnsafeArchiveError(
        'file-too-large',
        `${JSON.stringify(header.name)} has ${size} bytes, over the cap of ${limits.maxFileBytes}`,
      );
    unpackedBytes += size;
    if (unpackedBytes > limits.maxUnpackedBytes)
      throw new UnsafeArchiveError('archive-too-large', `archive holds more than ${limits.maxUnpackedBytes} bytes`);
    const path = rest.join('/');
    return { path, keep: type !== 'directory' && include(path) };
  };

  await new Promise<void>((resolve, reject) => {
    const extractor = createExtract();
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(
        error instanceof UnsafeArchiveError
          ? error
          : new UnsafeArchiveError('corrupt', `archive is not a valid tar: ${errorMessage(error)}`, { cause: error }),
      );
      extractor.destroy();
    };
    extractor.on('entry', (header, stream, next) => {
      stream.on('error', () => undefined); // the extractor reports its own failure once
      let verdict: { path: string; keep: boolean };
      try {
        verdict = check(header);
      } catch (error) {
        fail(error);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: unknown) => {
        if (verdict.keep && Buffer.isBuffer(chunk)) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (verdict.keep) files.set(verdict.path, Buffer.concat(chunks));
        next();
      });
    });
    extractor.on('error', fail);
    extractor.on('finish', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    extractor.end(tar);
  });

  if (topLevel === undefined) throw new UnsafeArchiveError('no-top-level-directory', 'archive is empty');
  return { files, topLevel, entryCount, ...(commit !== undefined ? { commit } : {}) };
}

/** `docs/**\/*.md`-style globs: `**` crosses directories, `*` and `?` do not. */
export function globToRegExp(glob: string): RegExp {
  let pattern = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob[i] ?? '';
    if (char === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      pattern += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') pattern += '[^/]*';
    else if (char === '?') pattern += '[^/]';
    else pattern += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`);
}

export function includeFilter(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (path) => patterns.some((pattern) => pattern.test(path));
}
