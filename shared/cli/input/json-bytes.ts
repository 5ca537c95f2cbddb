/**
 * Byte-level helpers for the replay reader: find where a JSON value ends without parsing it, and where
 * reading can resume in damaged input. (A JSON.parse failure is described by shared/events/json-error.ts.)
 */
import {
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  isJsonWhitespace,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from '../../events/json-error';

export function skipWhitespace(buf: Uint8Array, from: number, to: number = buf.length): number {
  let i = from;
  while (i < to && isJsonWhitespace(buf[i])) i++;
  return i;
}

/** Index of the quote closing the string opened at `open`, or -1 if the buffer ends first. */
function stringClose(buf: Buffer, open: number): number {
  let quote = open;
  for (;;) {
    // UTF-8 continuation bytes are >= 0x80, so a 0x22 byte is always a real quote character.
    quote = buf.indexOf(QUOTE, quote + 1);
    if (quote < 0) return -1;
    let backslashes = 0;
    for (let k = quote - 1; buf[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
}

/**
 * End (exclusive) of the JSON value starting at `start`, found by balancing brackets outside strings;
 * -1 when the buffer ends inside it. The value is not validated: JSON.parse does that on the slice.
 */
export function valueEnd(buf: Buffer, start: number): number {
  const n = buf.length;
  const first = buf[start];
  if (first === QUOTE) {
    const close = stringClose(buf, start);
    return close < 0 ? -1 : close + 1;
  }
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    // A scalar: runs to the next delimiter.
    let i = start;
    while (i < n) {
      const c = buf[i];
      if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || isJsonWhitespace(c)) break;
      i++;
    }
    return i;
  }
  let depth = 0;
  for (let i = start; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      i = stringClose(buf, i);
      if (i < 0) return -1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const RECORDS_KEY = Buffer.from('"Records"');

/**
 * If the document at `start` opens as `{"Records": [` (the layout of CloudTrail log files and of SQS
 * event files), the index of that `[`; otherwise -1.
 */
export function recordsArrayOpen(buf: Buffer, start: number): number {
  if (buf[start] !== OPEN_BRACE) return -1;
  let i = skipWhitespace(buf, start + 1);
  // compare() throws past the end of the buffer: an input cut inside the key is simply not this layout.
  if (
    i + RECORDS_KEY.length > buf.length ||
    buf.compare(RECORDS_KEY, 0, RECORDS_KEY.length, i, i + RECORDS_KEY.length) !== 0
  )
    return -1;
  i = skipWhitespace(buf, i + RECORDS_KEY.length);
  if (buf[i] !== COLON) return -1;
  i = skipWhitespace(buf, i + 1);
  return buf[i] === OPEN_BRACKET ? i : -1;
}

/**
 * How every `{"Records": [...]}` document starts. The bytes cannot occur inside a JSON string (a quote
 * in a string is escaped), so they always open an object with a Records key; but a valid record may
 * nest such an object, so they are only looked for in input already known to be damaged.
 */
const DOCUMENT_START = Buffer.from('{"Records"');

/** Index of the first document start wholly inside buf[from, to), or -1: where reading resumes after damage. */
export function nextDocumentStart(buf: Buffer, from: number, to: number = buf.length): number {
  // Bounded, so that many bad records in one document each cost their own span, not the rest of the input.
  return buf.subarray(0, to).indexOf(DOCUMENT_START, from);
}

/** How an array or object ended: after its `]` or `}`, with the input (inside a value or before the close), or at a stray byte. */
export type ContainerEnd =
  | { readonly kind: 'closed'; readonly end: number }
  | { readonly kind: 'truncated'; readonly start: number }
  | { readonly kind: 'unexpected'; readonly at: number };

export interface ArrayScan {
  /** Byte span of element i: starts[i] (inclusive) to ends[i] (exclusive). */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly end: ContainerEnd;
}

/**
 * Finds the byte span of every element of the array opened at `open`, and how the array ended:
 * `closed` (index after `]`), `truncated` (input ended inside an element or before `]`) or
 * `unexpected` (a byte that is neither `,` nor `]` after an element).
 */
export function scanArray(buf: Buffer, open: number): ArrayScan {
  const starts: number[] = [];
  const ends: number[] = [];
  const ended = (end: ContainerEnd): ArrayScan => ({ starts, ends, end });
  let i = skipWhitespace(buf, open + 1);
  if (buf[i] === CLOSE_BRACKET) return ended({ kind: 'closed', end: i + 1 });
  for (;;) {
    const end = i < buf.length ? valueEnd(buf, i) : -1;
    if (end < 0) return ended({ kind: 'truncated', start: i });
    starts.push(i);
    ends.push(end);
    i = skipWhitespace(buf, end);
    const next = buf[i];
    if (next === COMMA) i = skipWhitespace(buf, i + 1);
    else if (next === CLOSE_BRACKET) return ended({ kind: 'closed', end: i + 1 });
    else if (next === undefined) return ended({ kind: 'truncated', start: i });
    else return ended({ kind: 'unexpected', at: i });
  }
}

/**
 * How the object ends whose member value ended at `from`: its remaining members are skipped (their
 * values are found, not validated) up to its `}`.
 */
export function objectEnd(buf: Buffer, from: number): ContainerEnd {
  let i = skipWhitespace(buf, from);
  while (buf[i] === COMMA) {
    const key = skipWhitespace(buf, i + 1);
    if (buf[key] !== QUOTE) return brokenAt(buf, key);
    const keyEnd = valueEnd(buf, key);
    if (keyEnd < 0) return { kind: 'truncated', start: key };
    const colon = skipWhitespace(buf, keyEnd);
    if (buf[colon] !== COLON) return brokenAt(buf, colon);
    const value = skipWhitespace(buf, colon + 1);
    const end = value < buf.length ? valueEnd(buf, value) : -1;
    if (end < 0) return { kind: 'truncated', start: value };
    if (end === value) return { kind: 'unexpected', at: value };
    i = skipWhitespace(buf, end);
  }
  return buf[i] === CLOSE_BRACE ? { kind: 'closed', end: i + 1 } : brokenAt(buf, i);
}

const brokenAt = (buf: Buffer, at: number): ContainerEnd =>
  at >= buf.length ? { kind: 'truncated', start: at } : { kind: 'unexpected', at };

/** How CloudTrail begins every record it writes to S3. */
const RECORD_START = Buffer.from('{"eventVersion":');

/**
 * The byte spans of the `count` records of the array `buf[open, closedAt)`, which JSON.parse has
 * accepted and whose every element is an object with `eventVersion` as its first key, found without
 * walking every byte: CloudTrail writes each record as `{"eventVersion":…`. Such a `{` is never inside
 * a string (a `"` after it in a string would end the string, and `eventVersion"` cannot follow a
 * string in valid JSON), so every occurrence opens an object; when there are exactly `count` of them,
 * one after `[` and each other after a `,`, they are the records. Undefined otherwise (a record
 * written another way, or an object of that shape nested in a record): the caller scans the array.
 */
export function recordSpans(
  buf: Buffer,
  open: number,
  closedAt: number,
  count: number,
): { starts: number[]; ends: number[] } | undefined {
  const starts: number[] = [];
  for (
    let at = buf.indexOf(RECORD_START, open);
    at >= 0 && at < closedAt;
    at = buf.indexOf(RECORD_START, at + RECORD_START.length)
  ) {
    if (starts.length === count) return undefined;
    starts.push(at);
  }
  if (starts.length !== count || count === 0 || starts[0] !== skipWhitespace(buf, open + 1)) return undefined;
  const ends: number[] = [];
  for (let i = 1; i < count; i++) {
    const comma = skipWhitespaceBack(buf, open, starts[i] as number);
    if (buf[comma - 1] !== COMMA) return undefined;
    ends.push(skipWhitespaceBack(buf, open, comma - 1));
  }
  ends.push(skipWhitespaceBack(buf, open, closedAt - 1)); // before the `]`
  return { starts, ends };
}

/** The index after the last non-whitespace byte before `end` (not going below `floor`). */
export function skipWhitespaceBack(buf: Buffer, floor: number, end: number): number {
  let i = end;
  while (i > floor && isJsonWhitespace(buf[i - 1])) i--;
  return i;
}
