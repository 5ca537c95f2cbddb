/**
 * JSON text for the whole code base: its structural characters, and a JSON.parse failure turned into a short
 * reason with a position and no copy of the input (an SQS message body in the Lambda, a log file in replay).
 */
import { errorMessage } from '../errors';

/** JSON's structural characters (char codes, equal to their UTF-8 bytes). */
export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

export function isJsonWhitespace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Describes a JSON.parse failure on `text`: V8's wording without its quote of the input, plus a position. */
export function describeJsonError(error: unknown, text: string): string {
  const raw = errorMessage(error);
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
