/**
 * What one parsed value stands for: the records of a `{"Records": [...]}` document or of lookup-events
 * output, the body of an SQS message, the record of a lookup-events event, nothing for a digest file, or
 * itself.
 */
import type { InputItem } from './types';
import { describeJsonError } from '../../events/json-error';
import { parseMessageBody } from '../../events/sqs';

/**
 * A `{"Records": [...]}` object yields its records, and `aws cloudtrail lookup-events` output
 * (`{"Events": [...]}`) its events; a CloudTrail digest file yields nothing (it lists log files and their
 * hashes, no event); anything else is one event.
 */
export function expandValue(value: unknown, source: string, bytes: number, out: InputItem[]): void {
  if (isDigestFile(value)) return;
  const list = isRecordsDocument(value) ? value.Records : isLookupEventsOutput(value) ? value.Events : undefined;
  if (list === undefined) {
    out.push(messageOrEvent(value, source, bytes));
    return;
  }
  // Records inside an already-parsed document: their own text length is unknown without re-serialising.
  for (let i = 0; i < list.length; i++) out.push(messageOrEvent(list[i], `${source}#${i}`, undefined));
}

function isRecordsDocument(value: unknown): value is { Records: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Records?: unknown }).Records);
}

/** `aws cloudtrail lookup-events` output (CloudTrail API reference, LookupEvents): `Events`, and maybe `NextToken`. */
function isLookupEventsOutput(value: unknown): value is { Events: unknown[] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as { Events?: unknown }).Events);
}

/** CloudTrail digest files (CloudTrail user guide, "CloudTrail digest file structure") sit beside the logs in a trail folder. */
function isDigestFile(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { digestStartTime, logFiles } = value as { digestStartTime?: unknown; logFiles?: unknown };
  return typeof digestStartTime === 'string' && Array.isArray(logFiles);
}

const SQS_EVENT_SOURCE = 'aws:sqs';

/**
 * An SQS message (as Lambda receives it) stands for the event in its body, and a lookup-events event for the
 * record in its `CloudTrailEvent` string; any other value is the event.
 */
export function messageOrEvent(value: unknown, source: string, bytes: number | undefined): InputItem {
  if (typeof value === 'object' && value !== null) {
    if ((value as { eventSource?: unknown }).eventSource === SQS_EVENT_SOURCE)
      return { source, ...parseMessageBody((value as { body?: unknown }).body) };
    const { CloudTrailEvent: record } = value as { CloudTrailEvent?: unknown };
    if (typeof record === 'string') return lookupEventRecord(record, source);
  }
  return bytes === undefined ? { source, value } : { source, value, bytes };
}

function lookupEventRecord(text: string, source: string): InputItem {
  try {
    return { source, value: JSON.parse(text) as unknown, bytes: Buffer.byteLength(text) };
  } catch (error) {
    return { source, error: `CloudTrailEvent is not JSON: ${describeJsonError(error, text)}` };
  }
}
