/** One input's bytes (a file's or stdin's) to events: gunzipped if gzip, then read by the kind of its content. */
import { bombReason, gunzip, isGzip } from './gzip';
import { parseDocumentSequence } from './documents';
import { looksLikeJsonLines, parseJsonLines, secondLineIsObject } from './lines';
import { recordsArrayOpen, skipWhitespace } from './json-bytes';
import { parseSpan } from './json-text';
import { expandValue } from './values';
import { DEFAULT_INPUT_LIMITS, type InputItem, type InputLimits } from './types';
import { OPEN_BRACE, OPEN_BRACKET } from '../../events/json-error';

/**
 * Parses one input's bytes, gunzipping them first when they start with the gzip magic bytes. A damaged gzip
 * still yields what decodes (see gzip.ts), then one reason per damage; one that inflates past the limit is
 * rejected whole, with the limit in the reason.
 */
export function parseInput(data: Buffer, name: string, limits: InputLimits = DEFAULT_INPUT_LIMITS): InputItem[] {
  const out: InputItem[] = [];
  if (!isGzip(data)) {
    parseDocument(data, name, false, out);
    return out;
  }
  const gunzipped = gunzip(data, limits.maxDecompressedBytes);
  if (gunzipped.kind === 'too-large') return [{ source: name, error: bombReason(limits.maxDecompressedBytes) }];
  if (gunzipped.kind === 'whole') {
    parseDocument(gunzipped.inflated, name, false, out);
    return out;
  }
  if (gunzipped.inflated.length > 0) parseDocument(gunzipped.inflated, name, gunzipped.cut, out);
  for (const damage of gunzipped.damage) out.push({ source: name, error: `gzip: ${damage}` });
  return out;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

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

/** One JSON value for the whole input; if it does not parse, a second line that is an object means JSON lines after all. */
function parseWhole(buf: Buffer, bom: number, start: number, name: string, truncated: boolean, out: InputItem[]): void {
  const parsed = parseSpan(buf, start, buf.length);
  if ('value' in parsed) expandValue(parsed.value, name, buf.length - start, out);
  else if (secondLineIsObject(buf, start)) parseJsonLines(buf, bom, name, truncated, out);
  else if (!truncated) out.push({ source: name, error: parsed.error });
}
