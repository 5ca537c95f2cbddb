/** JSON text out of an input's bytes: decoded cheaply, parsed with a reason on failure. */
import { isAscii } from 'node:buffer';
import { describeJsonError } from '../../events/json-error';

/** Below this, the extra ASCII check costs more than it saves. */
const COPY_ASCII_FROM_BYTES = 64 * 1024;

/**
 * The UTF-8 text of buf[start, end). CloudTrail logs are almost all ASCII, and ASCII bytes are their own
 * Latin-1 text: a whole log file is copied rather than decoded.
 */
export function decode(buf: Buffer, start: number, end: number): string {
  const bytes = buf.subarray(start, end);
  return bytes.length >= COPY_ASCII_FROM_BYTES && isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

export type ParsedSpan = { readonly value: unknown } | { readonly error: string };

export function parseSpan(buf: Buffer, start: number, end: number): ParsedSpan {
  const text = decode(buf, start, end);
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: describeJsonError(error, text) };
  }
}
