/**
 * Byte-level helpers for the replay reader: find where a JSON value ends without parsing it, and
 * turn a JSON.parse failure into a short reason with a position and no copy of the input text.
 */

/** JSON's structural bytes, shared with the reader. */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

export function isJsonWhitespace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

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
  if (buf.compare(RECORDS_KEY, 0, RECORDS_KEY.length, i, i + RECORDS_KEY.length) !== 0) return -1;
  i = skipWhitespace(buf, i + RECORDS_KEY.length);
  if (buf[i] !== COLON) return -1;
  i = skipWhitespace(buf, i + 1);
  return buf[i] === OPEN_BRACKET ? i : -1;
}

/** How an array ended: after `]`, with the input (inside an element or before `]`), or at a stray byte. */
export type ArrayEnd =
  | { readonly kind: 'closed'; readonly end: number }
  | { readonly kind: 'truncated'; readonly start: number }
  | { readonly kind: 'unexpected'; readonly at: number };

export interface ArrayScan {
  /** Byte span of element i: starts[i] (inclusive) to ends[i] (exclusive). */
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly end: ArrayEnd;
}

/**
 * Finds the byte span of every element of the array opened at `open`, and how the array ended:
 * `closed` (index after `]`), `truncated` (input ended inside an element or before `]`) or
 * `unexpected` (a byte that is neither `,` nor `]` after an element).
 */
export function scanArray(buf: Buffer, open: number): ArrayScan {
  const starts: number[] = [];
  const ends: number[] = [];
  const ended = (end: ArrayEnd): ArrayScan => ({ starts, ends, end });
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
export function recordSpans(buf: Buffer, open: number, closedAt: number, count: number): { starts: number[]; ends: number[] } | undefined {
  const starts: number[] = [];
  for (let at = buf.indexOf(RECORD_START, open); at >= 0 && at < closedAt; at = buf.indexOf(RECORD_START, at + RECORD_START.length)) {
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

/** An error's message without the `Error: ` prefix, also for errors from another realm (jest's VM context). */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}

/** Describes a JSON.parse failure on `text`: V8's wording without its quote of the input, plus a position. */
export function describeJsonError(error: unknown, text: string): string {
  const raw = messageOf(error);
  let message: string;
  if (raw.endsWith('is not valid JSON')) {
    // V8 quotes the input in these (`Unexpected token 'x', "<input>" is not valid JSON`): keep only the token.
    const token = /^Unexpected token '(.)'/su.exec(raw)?.[1];
    message = token === undefined ? 'Unexpected token' : `Unexpected token ${printable(token)}`;
  } else {
    message = raw.slice(0, 200);
  }
  if (!/ at position \d+/.test(message)) message += ` at position ${jsonErrorOffset(text)}`;
  return `malformed JSON: ${message}`;
}

function printable(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code <= 0x9f) ? `'\\u${code.toString(16).padStart(4, '0')}'` : `'${char}'`;
}

/**
 * Offset of the first character at which `text` stops being valid JSON (text.length if it ends too
 * early). Only called after JSON.parse failed, so it favours clarity over speed; iterative, so deep
 * nesting in hostile input cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  const n = text.length;
  const containers: boolean[] = []; // true: object, false: array
  type Expect = 'value' | 'valueOrClose' | 'keyOrClose' | 'key' | 'colon' | 'after';
  let expect: Expect = 'value';
  let i = 0;
  for (;;) {
    while (i < n && isJsonWhitespace(text.charCodeAt(i))) i++;
    if (i >= n) return n;
    const c = text.charCodeAt(i);
    const inObject = containers[containers.length - 1];
    if (expect === 'after') {
      if (inObject === undefined) return i;
      if (c === COMMA) {
        expect = inObject ? 'key' : 'value';
        i++;
      } else if (c === (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        containers.pop();
        i++;
      } else {
        return i;
      }
      continue;
    }
    if (expect === 'colon') {
      if (c !== COLON) return i;
      expect = 'value';
      i++;
      continue;
    }
    if ((expect === 'keyOrClose' && c === CLOSE_BRACE) || (expect === 'valueOrClose' && c === CLOSE_BRACKET)) {
      containers.pop();
      expect = 'after';
      i++;
      continue;
    }
    if (expect === 'keyOrClose' || expect === 'key') {
      if (c !== QUOTE) return i;
      const end = scanString(text, i);
      if (end < 0) return -end - 1;
      i = end;
      expect = 'colon';
      continue;
    }
    // A value.
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      containers.push(c === OPEN_BRACE);
      expect = c === OPEN_BRACE ? 'keyOrClose' : 'valueOrClose';
      i++;
      continue;
    }
    const end = c === QUOTE ? scanString(text, i) : scanScalar(text, i);
    if (end < 0) return -end - 1;
    i = end;
    expect = 'after';
  }
}

const ESCAPABLE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;

/** End of the string at `open`, or -(errorOffset + 1). */
function scanString(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c < 0x20) return -(j + 1);
    if (c === BACKSLASH) {
      const escaped = text[j + 1];
      if (escaped === undefined) return -(text.length + 1);
      if (escaped === 'u') {
        if (!HEX.test(text.slice(j + 2, j + 6))) return -(j + 2 + 1);
        j += 5;
      } else if (ESCAPABLE.has(escaped)) {
        j++;
      } else {
        return -(j + 1 + 1);
      }
    }
  }
  return -(text.length + 1);
}

const LITERALS = ['true', 'false', 'null'] as const;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;

/** End of the literal or number at `start`, or -(errorOffset + 1). */
function scanScalar(text: string, start: number): number {
  for (const literal of LITERALS) {
    if (text[start] !== literal[0]) continue;
    for (let k = 1; k < literal.length; k++) {
      if (text[start + k] !== literal[k]) return -(Math.min(start + k, text.length) + 1);
    }
    return start + literal.length;
  }
  // Bounded slice: numbers are short, and this keeps the regex off the rest of the text.
  const match = NUMBER.exec(text.slice(start, start + 400));
  if (match === null || match[0] === '' || match[0] === '-') return -(Math.min(start + (match?.[0].length ?? 0), text.length) + 1);
  const end = start + match[0].length;
  // `1.` or `1e` : the regex stopped before a dangling fraction or exponent.
  const next = text[end];
  if (next === '.' || next === 'e' || next === 'E') return -(end + 1 + 1);
  return end;
}
