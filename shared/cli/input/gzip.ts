/**
 * Gzip input for the replay reader: one member or several (`cat *.json.gz`). A damaged input still gives
 * what decodes, member by member, with one reason per damaged stretch; one that inflates past the limit
 * is refused whole.
 *
 * Node's gunzip reads a whole (multi-member) file in one call, but on damage it keeps nothing and cannot say
 * where a member ends (it carries on into the next member by itself, and a single-member gzip inflate,
 * windowBits 31, is refused by its Inflate); so a damaged input is read here member by member with zlib's
 * raw inflate, whose Z_SYNC_FLUSH keeps the readable start of a member cut short.
 */
import { constants as zlibConstants, crc32, gunzipSync, inflateRawSync } from 'node:zlib';
import { errorMessage, QTriageError } from '../../errors';

const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** zlib's code when an output would pass `maxOutputLength`. */
const BUFFER_TOO_LARGE = 'ERR_BUFFER_TOO_LARGE';
const isTooLarge = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === BUFFER_TOO_LARGE;

class DecompressedTooLargeError extends QTriageError {
  override readonly name = 'DecompressedTooLargeError';
}

export const bombReason = (limit: number): string =>
  `gzip: decompresses to more than ${limit} bytes, the per-file limit (a compression bomb?): not read`;

/** The input starts with the gzip magic bytes. */
export const isGzip = (data: Buffer): boolean => data[0] === GZIP_MAGIC[0] && data[1] === GZIP_MAGIC[1];

export type Gunzipped =
  | { readonly kind: 'whole'; readonly inflated: Buffer }
  | ({ readonly kind: 'salvaged' } & GzipSalvage)
  | { readonly kind: 'too-large' };

/** Gunzips `data`, salvaging what decodes when it is damaged (see salvageGzip); `too-large` past `maxOutputLength` bytes. */
export function gunzip(data: Buffer, maxOutputLength: number): Gunzipped {
  try {
    return { kind: 'whole', inflated: gunzipSync(data, { maxOutputLength }) };
  } catch (error) {
    if (isTooLarge(error)) return { kind: 'too-large' };
  }
  try {
    return { kind: 'salvaged', ...salvageGzip(data, maxOutputLength) };
  } catch (error) {
    if (error instanceof DecompressedTooLargeError) return { kind: 'too-large' };
    throw error;
  }
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
  const inflate = (compressed: Buffer): { readonly output: Buffer; readonly used: number } =>
    inflateStream(compressed, maxOutputLength - total);
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
  if (
    at + GZIP_HEADER_BYTES > data.length ||
    data.compare(GZIP_MEMBER_START, 0, GZIP_MEMBER_START.length, at, at + GZIP_MEMBER_START.length) !== 0
  )
    return -1;
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
function inflateStream(
  compressed: Buffer,
  maxOutputLength: number,
): { readonly output: Buffer; readonly used: number } {
  let result: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    // With `info`, zlib also returns its engine, whose bytesWritten counts the input bytes consumed.
    result = inflateRawSync(compressed, {
      info: true,
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(1, maxOutputLength),
    }) as unknown as typeof result;
  } catch (error) {
    if (isTooLarge(error)) throw new DecompressedTooLargeError(`more than ${maxOutputLength} bytes`, { cause: error });
    throw error;
  }
  return { output: result.buffer, used: result.engine.bytesWritten };
}

/** The member starting at `at` when it is whole (its trailer present and matching): its output and end. */
function wholeMember(
  data: Buffer,
  at: number,
  inflate: Inflate,
): { readonly output: Buffer; readonly end: number } | undefined {
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
  if (data.readUInt32LE(trailer) !== crc32(output) || data.readUInt32LE(trailer + 4) !== output.length % 2 ** 32)
    return undefined;
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
function damagedMember(
  data: Buffer,
  at: number,
  end: number,
  inflate: Inflate,
): { readonly decoded: Buffer; readonly reason: string } {
  const body = gzipBodyStart(data, at);
  if (body < 0) return { decoded: Buffer.alloc(0), reason: `not gzip data from byte ${at}` };
  const where = at > 0 ? ` in the member at byte ${at}` : '';
  const compressed = data.subarray(body, end);
  try {
    const { output, used } = inflate(compressed);
    // It decodes: either its trailer does not match, or it stops early (the input ends, or the next member starts).
    if (body + used + GZIP_TRAILER_BYTES <= end) return { decoded: output, reason: `incorrect data check${where}` };
    return {
      decoded: output,
      reason: end < data.length ? `the member at byte ${at} is cut short` : `unexpected end of file${where}`,
    };
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
