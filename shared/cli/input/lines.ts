/**
 * JSON lines: one event per line (blank lines skipped, a bad line costing only itself, a line holding a
 * `{"Records": [...]}` document expanded into its records), sources `FILE:LINE`. lookup-events output as
 * `jq -c '.Events[]'` writes it and Athena / CloudTrail Lake exports come this way.
 */
import { skipWhitespace, skipWhitespaceBack } from './json-bytes';
import { parseSpan } from './json-text';
import { expandValue } from './values';
import type { InputItem } from './types';
import { CLOSE_BRACE, OPEN_BRACE } from '../../events/json-error';

const NEWLINE = 0x0a;

/** A `{` document is JSON lines when its first line is a whole object (a pretty-printed one's is not). */
export function looksLikeJsonLines(buf: Buffer, start: number): boolean {
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

export function secondLineIsObject(buf: Buffer, start: number): boolean {
  let from = lineEnd(buf, start) + 1;
  while (from < buf.length) {
    const to = lineEnd(buf, from);
    if (skipWhitespace(buf, from, to) < to) return lineIsObject(buf, from, to);
    from = to + 1;
  }
  return false;
}

export function parseJsonLines(buf: Buffer, from: number, name: string, truncated: boolean, out: InputItem[]): void {
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
