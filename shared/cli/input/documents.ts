/**
 * JSON documents one after another: CloudTrail log files (`{"Records": [...]}`), SQS event files, JSON
 * arrays, and several of them concatenated (`zcat *.json.gz`), with sources `FILE#INDEX`. Each record is
 * parsed on its own when the whole does not parse, so one bad record costs only itself, and reading resumes
 * at the next document after damage.
 */
import {
  nextDocumentStart,
  objectEnd,
  recordSpans,
  recordsArrayOpen,
  scanArray,
  skipWhitespace,
  skipWhitespaceBack,
  valueEnd,
  type ArrayScan,
} from './json-bytes';
import { decode, parseSpan, type ParsedSpan } from './json-text';
import { messageOrEvent } from './values';
import type { InputItem } from './types';
import { CLOSE_BRACE, CLOSE_BRACKET, jsonErrorOffset, OPEN_BRACE, OPEN_BRACKET, QUOTE } from '../../events/json-error';

/**
 * Top-level values one after another: arrays and `{"Records": [...]}` documents are walked element by
 * element (each parsed on its own, so one bad record costs only itself); anything else is one event.
 * Damage (a value cut short, stray text between values) is rejected once, and reading resumes at the
 * next document start: `zcat` carries on after a truncated file, and so does this.
 */
export function parseDocumentSequence(
  buf: Buffer,
  start: number,
  name: string,
  truncated: boolean,
  out: InputItem[],
): void {
  let index = 0;
  let pos = start;
  /**
   * Rejects the damaged stretch once; returns where reading resumes: the next document start at or after
   * `from`, else the end. `atEnd`: the input may just end there, which a salvaged input does not report.
   */
  const skipDamage = (from: number, source: string, reason: string, atEnd: boolean): number => {
    const next = nextDocumentStart(buf, from);
    if (next >= 0) out.push({ source, error: `${reason}; reading resumes at byte ${next}` });
    else if (!atEnd) out.push({ source, error: `${reason}; the rest is skipped` });
    else if (!truncated) out.push({ source, error: reason });
    return next >= 0 ? next : buf.length;
  };
  /**
   * Yields the value parsed from buf[from, to) as the next event; returns -1, or where reading resumes
   * when the value did not parse because a document starting in it (at or after `cutFrom`) cut it.
   */
  const take = (parsed: ParsedSpan, from: number, to: number, cutFrom: number): number => {
    const source = `${name}#${index++}`;
    if ('value' in parsed) {
      out.push(messageOrEvent(parsed.value, source, to - from));
      return -1;
    }
    const cut = documentCutIn(buf, from, cutFrom, to);
    if (cut >= 0) return skipDamage(cut, source, truncationReason(from), true);
    out.push({ source, error: parsed.error });
    return -1;
  };
  while (pos < buf.length) {
    const recordsOpen = recordsArrayOpen(buf, pos);
    const arrayOpen = recordsOpen >= 0 ? recordsOpen : buf[pos] === OPEN_BRACKET ? pos : -1;
    if (arrayOpen < 0) {
      const end = valueEnd(buf, pos);
      if (end < 0) {
        pos = skipDamage(pos + 1, `${name}#${index++}`, truncationReason(pos), true);
        continue;
      }
      const parsed = end > pos ? parseSpan(buf, pos, end) : undefined;
      if (parsed === undefined || ('error' in parsed && buf[pos] !== OPEN_BRACE && buf[pos] !== QUOTE)) {
        // No JSON value starts here (a stray `,` `]` `}`, words): one rejection for the whole run.
        pos = skipDamage(pos + 1, name, unexpectedByte(buf, pos), false);
      } else {
        const resumeAt = take(parsed, pos, end, pos + 1);
        pos = resumeAt >= 0 ? resumeAt : skipWhitespace(buf, end);
      }
      continue;
    }
    // Only the input's first document can be its only one: later ones are never tried to the end.
    const { starts, ends, values, end: arrayEnd } = readArray(buf, arrayOpen, recordsOpen >= 0, pos === start);
    // A document cut right before an element may have taken the next document for that element.
    const last = starts.length - 1;
    const swallowed = arrayEnd.kind !== 'closed' && last >= 0 && recordsArrayOpen(buf, starts[last] as number) >= 0;
    const count = swallowed ? last : starts.length;
    let resumeAt = -1;
    if (values !== undefined) {
      for (let i = 0; i < count; i++)
        out.push(messageOrEvent(values[i], `${name}#${index++}`, (ends[i] as number) - (starts[i] as number)));
    } else {
      for (let i = 0; i < count && resumeAt < 0; i++) {
        const from = starts[i] as number;
        const to = ends[i] as number;
        resumeAt = take(parseSpan(buf, from, to), from, to, from);
      }
    }
    if (resumeAt >= 0) {
      pos = resumeAt;
    } else if (swallowed) {
      pos = skipDamage(starts[last] as number, name, truncationReason(pos), true);
    } else if (arrayEnd.kind === 'truncated') {
      pos = skipDamage(arrayEnd.start, `${name}#${index++}`, truncationReason(arrayEnd.start), true);
    } else if (arrayEnd.kind === 'unexpected') {
      pos = skipDamage(
        arrayEnd.at,
        name,
        `malformed JSON: expected ',' or ']' after event #${index - 1} at byte ${arrayEnd.at}`,
        false,
      );
    } else if (recordsOpen < 0) {
      pos = skipWhitespace(buf, arrayEnd.end);
    } else {
      // The document's other members (a nextToken, say) are not events.
      const close = objectEnd(buf, arrayEnd.end);
      if (close.kind === 'closed') pos = skipWhitespace(buf, close.end);
      else if (close.kind === 'truncated') pos = skipDamage(arrayEnd.end, name, truncationReason(close.start), true);
      else pos = skipDamage(arrayEnd.end, name, `${unexpectedByte(buf, close.at)} after the Records array`, false);
    }
  }
}

function truncationReason(at: number): string {
  return `malformed JSON: Unexpected end of JSON input in the value starting at byte ${at} (truncated input?)`;
}

function unexpectedByte(buf: Buffer, at: number): string {
  return `malformed JSON: unexpected ${JSON.stringify(String.fromCharCode(buf[at] ?? 0))} at byte ${at}`;
}

/**
 * Where the next document starts inside buf[start, end), a value that did not parse (searched from
 * `from`), if the value was cut there; -1 otherwise. A cut leaves the beginning of a valid value before
 * the document start, which a bad record that merely nests a `{"Records"` object after its fault does not.
 */
function documentCutIn(buf: Buffer, start: number, from: number, end: number): number {
  const at = nextDocumentStart(buf, from, end);
  if (at < 0) return -1;
  const before = decode(buf, start, at);
  return jsonErrorOffset(before) === before.length ? at : -1;
}

/** The array's element spans, and its values when the whole array parses (else each span is parsed on its own). */
interface ReadArray extends ArrayScan {
  readonly values?: readonly unknown[];
}

/**
 * Reads the array opened at `open`. The common case, a CloudTrail log file (the input's first and only
 * document: the array runs to the end of the input, or to the `}` closing its Records document), costs
 * one JSON.parse and a search for where the records begin. Anything else (several documents one after
 * the other, other layouts) is scanned byte by byte for the element spans; a well-formed array is still
 * parsed whole, and an array with a bad element span by span, so that one bad record costs only itself.
 */
function readArray(buf: Buffer, open: number, inRecordsDocument: boolean, firstDocument: boolean): ReadArray {
  const toEnd = firstDocument ? arrayEndAtInputEnd(buf, inRecordsDocument) : -1;
  const whole = toEnd > open ? parseArrayText(buf, open, toEnd) : undefined;
  if (whole !== undefined) {
    const spans = whole.every(beginsLikeCloudTrail) ? recordSpans(buf, open, toEnd, whole.length) : undefined;
    if (spans !== undefined) return { ...spans, values: whole, end: { kind: 'closed', end: toEnd } };
  }
  const scan = scanArray(buf, open);
  const closedAt = scan.end.kind === 'closed' ? scan.end.end : -1;
  // Not parsed again when the text is the one that just failed (a bad record): then span by span.
  const values = whole ?? (closedAt > open && closedAt !== toEnd ? parseArrayText(buf, open, closedAt) : undefined);
  return values?.length === scan.ends.length ? { ...scan, values } : scan;
}

/** Where the array would close if it ran to the end of the input (or to its document's final `}`); -1 if the input does not end that way. */
function arrayEndAtInputEnd(buf: Buffer, inRecordsDocument: boolean): number {
  let end = skipWhitespaceBack(buf, 0, buf.length);
  if (inRecordsDocument) {
    if (buf[end - 1] !== CLOSE_BRACE) return -1;
    end = skipWhitespaceBack(buf, 0, end - 1);
  }
  return buf[end - 1] === CLOSE_BRACKET ? end : -1;
}

/** The elements of the array text `buf[open, closedAt)`; undefined if it is not one JSON array. */
function parseArrayText(buf: Buffer, open: number, closedAt: number): unknown[] | undefined {
  let values: unknown;
  try {
    values = JSON.parse(decode(buf, open, closedAt));
  } catch {
    return undefined;
  }
  return Array.isArray(values) ? values : undefined;
}

/** An object whose first key is `eventVersion`, as CloudTrail writes its records. */
function beginsLikeCloudTrail(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) return key === 'eventVersion';
  return false;
}
