/**
 * The per-principal activity log: a compact line per Amazon Q event the pipeline saw, kept 7 days.
 * CloudTrail's LookupEvents never returns data events (uploads, chats, syncs), so this log is the only
 * place the context provider can find them. Only AWS-shaped identifiers are extracted; free text is
 * capped and stays evidence.
 */
import * as z from 'zod/mini';
import type { TriageEvent } from '../events';
import { once } from '../lazy';

/** Identifier fields of Q Business requests and responses worth showing a responder. */
export const ID_FIELDS = [
  'applicationId',
  'indexId',
  'dataSourceId',
  'pluginId',
  'retrieverId',
  'webExperienceId',
  'dataAccessorId',
  'dataSourceSyncId',
] as const;
export type IdField = (typeof ID_FIELDS)[number];

export interface ActivityEntry {
  /** Epoch milliseconds. */
  readonly time: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  /** `Management` or `Data`. */
  readonly eventCategory: string;
  readonly errorCode?: string;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly resourceArns: readonly string[];
  /** Identifiers named in the request or the response (ids only, validated, one per field). */
  readonly ids: Partial<Record<IdField, string>>;
  /** Documents in a BatchPutDocument / BatchDeleteDocument request, when CloudTrail shows the list. */
  readonly documents?: number;
  /** Files attached to a chat request, when CloudTrail shows the list. */
  readonly attachments?: number;
  /** Calls this entry stands for: a roll-up of routine events (activity-rollup.ts) counts many; absent, one. */
  readonly count?: number;
  /** A roll-up's source IPs and user agents (an entry of one event has `sourceIp` and `userAgent`). */
  readonly sourceIps?: readonly string[];
  readonly userAgents?: readonly string[];
}

/** Entries read back from the table or the cache: our own writes, checked anyway so a bad item cannot break a summary. Built on first read. */
export const activityEntrySchema = once(() =>
  z.object({
    time: z.number(),
    eventId: z.string(),
    eventName: z.string(),
    eventSource: z.string(),
    eventCategory: z.string(),
    errorCode: z.optional(z.string()),
    sourceIp: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    resourceArns: z.array(z.string()),
    ids: z.record(z.string(), z.string()),
    documents: z.optional(z.number()),
    attachments: z.optional(z.number()),
    count: z.optional(z.number()),
    sourceIps: z.optional(z.array(z.string())),
    userAgents: z.optional(z.array(z.string())),
  }),
);

export interface ActivityLog {
  append(events: readonly TriageEvent[]): Promise<void>;
  /** Entries of one principal at or after `sinceMs`, oldest first; when over the limit, the newest ones. */
  query(principalKey: string, sinceMs: number): Promise<ActivityEntry[]>;
  /** The principal's oldest entry still kept, if any. */
  earliest(principalKey: string): Promise<ActivityEntry | undefined>;
}

/** How long entries are kept (DynamoDB TTL); also the horizon of "first seen". */
export const ACTIVITY_RETENTION_MS = 7 * 24 * 3600 * 1000;
export const MAX_RESOURCE_ARNS = 5;
export const MAX_ENTRY_TEXT = 256;
const MAX_ARN = 300;
/** Q Business ids are 36-character UUID-like strings; allow a little more, nothing outside this alphabet. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const ARN_PATTERN = /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:[\w+=,.@:/-]+$/;

function cap(value: string | undefined, max = MAX_ENTRY_TEXT): string | undefined {
  if (value === undefined) return undefined;
  return value.length > max ? value.slice(0, max) : value;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function extractIds(...sources: unknown[]): Partial<Record<IdField, string>> {
  const ids: Partial<Record<IdField, string>> = {};
  for (const source of sources) {
    const record = asRecord(source);
    if (record === undefined) continue;
    for (const field of ID_FIELDS) {
      const value = record[field];
      if (ids[field] === undefined && typeof value === 'string' && ID_PATTERN.test(value)) ids[field] = value;
    }
  }
  return ids;
}

function arrayLength(requestParameters: unknown, field: string): number | undefined {
  const value = asRecord(requestParameters)?.[field];
  return Array.isArray(value) ? value.length : undefined;
}

/** A chat in plugin mode names its plugin one level down. */
function chatPlugin(requestParameters: unknown): unknown {
  return asRecord(asRecord(asRecord(requestParameters)?.chatModeConfiguration)?.pluginConfiguration);
}

export function toActivityEntry(event: TriageEvent): ActivityEntry {
  const arns = event.resources
    .map((resource) => resource.arn)
    .filter((arn): arn is string => arn !== undefined && arn.length <= MAX_ARN && ARN_PATTERN.test(arn));
  const request = event.requestParameters;
  const documents = arrayLength(request, 'documents');
  const attachments = arrayLength(request, 'attachments');
  const errorCode = cap(event.errorCode, 128);
  const sourceIp = cap(event.sourceIp, 64);
  const userAgent = cap(event.userAgent);
  return {
    time: event.time,
    eventId: event.eventId,
    eventName: event.eventName,
    eventSource: event.eventSource,
    eventCategory: event.eventCategory,
    resourceArns: [...new Set(arns)].slice(0, MAX_RESOURCE_ARNS),
    ids: extractIds(request, event.responseElements, chatPlugin(request)),
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(sourceIp !== undefined ? { sourceIp } : {}),
    ...(userAgent !== undefined ? { userAgent } : {}),
    ...(documents !== undefined ? { documents } : {}),
    ...(attachments !== undefined ? { attachments } : {}),
  };
}

/** Single-process log for replay and tests. */
export class MemoryActivityLog implements ActivityLog {
  private readonly entries = new Map<string, Map<string, ActivityEntry>>();

  constructor(private readonly limit = 500) {}

  async append(events: readonly TriageEvent[]): Promise<void> {
    for (const event of events) {
      const byId = this.entries.get(event.principal.key) ?? new Map<string, ActivityEntry>();
      byId.set(event.eventId, toActivityEntry(event));
      this.entries.set(event.principal.key, byId);
    }
  }

  async query(principalKey: string, sinceMs: number): Promise<ActivityEntry[]> {
    const all = [...(this.entries.get(principalKey)?.values() ?? [])];
    return all
      .filter((entry) => entry.time >= sinceMs)
      .sort((a, b) => a.time - b.time || a.eventId.localeCompare(b.eventId))
      .slice(-this.limit);
  }

  async earliest(principalKey: string): Promise<ActivityEntry | undefined> {
    const all = [...(this.entries.get(principalKey)?.values() ?? [])];
    return all.sort((a, b) => a.time - b.time)[0];
  }
}
