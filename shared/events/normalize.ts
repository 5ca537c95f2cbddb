/**
 * Turns one untrusted input value (an EventBridge envelope or a bare CloudTrail record)
 * into a TriageEvent, or a rejection with a reason a person can act on.
 */
import type * as z from 'zod/mini';
import type { $ZodIssue } from 'zod/v4/core';
import { isEventSource, Q_INVOKED_BY } from '../playbook/types';
import {
  CLOUDTRAIL_DETAIL_TYPES,
  cloudTrailRecordSchema,
  eventBridgeEnvelopeSchema,
  type CloudTrailRecord,
  type UserIdentity,
} from './schema';
import { compileCheck } from './check';

const isCloudTrailRecord = compileCheck(cloudTrailRecordSchema);
const isEventBridgeEnvelope = compileCheck(eventBridgeEnvelopeSchema);

type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly $ZodIssue[] };

/**
 * The compiled check first; zod itself judges (and explains) only what the check turns down. A valid
 * value is the original object: its declared fields have their declared types, the rest is untouched.
 */
function validate<T>(schema: z.ZodMiniType<T>, isValid: (value: unknown) => boolean, value: unknown): Validated<T> {
  if (isValid(value)) return { ok: true, value: value as T };
  const parsed = schema.safeParse(value, { reportInput: true });
  return parsed.success ? { ok: true, value: value as T } : { ok: false, issues: parsed.error.issues };
}

/** EventBridge's own ceiling for one event; anything larger did not come from CloudTrail through it. */
export const MAX_EVENT_BYTES = 256 * 1024;
/** Attacker-chosen free text is cut to this length: kept as evidence, never large enough to crowd an alert. */
export const MAX_FREE_TEXT = 512;

export interface Principal {
  /** Stable key that groups one actor's events: ARN, else issuer + principal id, else type + id. */
  readonly key: string;
  readonly type: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly userName?: string;
  readonly accessKeyId?: string;
  readonly sessionIssuerArn?: string;
  readonly invokedBy?: string;
  /** The Identity Center user a Q Business call was made for. */
  readonly onBehalfOfUserId?: string;
  readonly mfaAuthenticated?: boolean;
}

export interface TriageEvent {
  readonly eventId: string;
  readonly eventName: string;
  /** An Amazon Q event source, or another service's when Amazon Q Developer made the call for a user (`principal.invokedBy`). */
  readonly eventSource: string;
  /** Epoch milliseconds of `eventTime`. */
  readonly time: number;
  readonly eventTime: string;
  readonly region: string;
  readonly account: string;
  readonly principal: Principal;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly readOnly?: boolean;
  readonly eventCategory: string;
  readonly sourceIp?: string;
  /** Attacker-controlled: evidence only. */
  readonly userAgent?: string;
  readonly resources: readonly { readonly arn?: string; readonly type?: string }[];
  /**
   * The request and response as CloudTrail recorded them (the activity log reads ids from them).
   * Attacker-controlled in parts: evidence only. The rest of the record is not kept: a replay holds
   * 100k events in memory, and the whole records were most of its memory and garbage-collection time.
   */
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
}

export type NormalizeResult =
  | { readonly ok: true; readonly event: TriageEvent }
  | { readonly ok: false; readonly reason: string; readonly eventId?: string }
  /** Another service's record (or a non-CloudTrail event): not rejected, only counted. */
  | { readonly ok: false; readonly passedOver: true; readonly reason: string; readonly eventId?: string };

export const isPassedOver = (result: NormalizeResult): result is Extract<NormalizeResult, { passedOver: true }> => 'passedOver' in result;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The number written by the ASCII digits text[from, to), or -1 if any is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Whether `YYYY-MM-DDTHH:MM:SS` at the start of `text` names a real date and time (no 30 February, no hour 24). */
function isRealDateTime(text: string): boolean {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  const daysInMonth = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  return year >= 0 && day >= 1 && day <= daysInMonth && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** Epoch milliseconds and the `toISOString` form of an ISO 8601 time, or undefined. */
export function parseEventTime(text: string): { readonly time: number; readonly iso: string } | undefined {
  // Date.parse also takes "1" or local-time formats, and rolls 30 February over into March: only a real
  // ISO 8601 date and time reaches it.
  const time = ISO_8601.test(text) && isRealDateTime(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(time) ? undefined : { time, iso: new Date(time).toISOString() };
}

/** A flag as CloudTrail writes it ("true"/"false") or as exports write it (true/false); anything else is unknown. */
function flag(value: boolean | string | null | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

const withArticle = (noun: string): string => `${/^[aeiou]/u.test(noun) ? 'an' : 'a'} ${noun}`;
const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : withArticle(typeof value));

/** `root` names the value itself when an issue has no path (the record, or an envelope's detail). */
export function describeIssues(issues: readonly $ZodIssue[], root = 'record'): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.join('.') || root;
      switch (issue.code) {
        case 'invalid_type':
          // Parsed with reportInput, so an absent input means the field is missing.
          return issue.input === undefined ? `missing required field ${field}` : `${field} must be ${withArticle(issue.expected)}, not ${kindOf(issue.input)}`;
        case 'invalid_union':
          // The only union of the schema: flags written as booleans or as "true"/"false".
          return `${field} must be true or false, not ${kindOf(issue.input)}`;
        case 'too_big':
          return `${field} is longer than ${String(issue.maximum)}`;
        case 'too_small':
          return `${field} is empty`;
        default:
          return `${field} is invalid (${issue.code})`;
      }
    })
    .join('; ');
}

function truncate(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return value.length > MAX_FREE_TEXT ? `${value.slice(0, MAX_FREE_TEXT)}…[truncated]` : value;
}

function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** The identity type; a service event's identity has none, and names the service that acted in `invokedBy`. */
function identityType(identity: UserIdentity): string {
  return present(identity.type) ?? (present(identity.invokedBy) !== undefined ? 'AWSService' : 'Unknown');
}

export function principalOf(identity: UserIdentity): Principal {
  const type = identityType(identity);
  const issuer = identity.sessionContext?.sessionIssuer ?? undefined;
  const arn = present(identity.arn);
  const principalId = present(identity.principalId);
  const onBehalfOfUserId = present(identity.onBehalfOf?.userId);
  const key =
    onBehalfOfUserId !== undefined
      ? `identitycenter:${onBehalfOfUserId}`
      : (arn ??
        (present(issuer?.arn) !== undefined && principalId !== undefined
          ? `${String(issuer?.arn)}#${principalId}`
          : `${type}:${principalId ?? present(identity.invokedBy) ?? present(identity.accountId) ?? 'unknown'}`));
  return {
    key,
    type,
    arn,
    accountId: present(identity.accountId),
    userName: present(identity.userName) ?? present(issuer?.userName),
    accessKeyId: present(identity.accessKeyId),
    sessionIssuerArn: present(issuer?.arn),
    invokedBy: present(identity.invokedBy),
    onBehalfOfUserId,
    mfaAuthenticated: flag(identity.sessionContext?.attributes?.mfaAuthenticated),
  };
}

const NO_RESOURCES: readonly [] = Object.freeze([] as const);

const SERVICE_EVENT = 'AwsServiceEvent';

function fromRecord(record: CloudTrailRecord): NormalizeResult {
  const { eventSource } = record;
  // Only a service event may leave the identity type out (CloudTrail record contents, userIdentity).
  if (present(record.userIdentity.type) === undefined && record.eventType !== SERVICE_EVENT) {
    return { ok: false, eventId: record.eventID, reason: 'missing required field userIdentity.type' };
  }
  const when = parseEventTime(record.eventTime);
  if (when === undefined) {
    return { ok: false, eventId: record.eventID, reason: 'eventTime is not an ISO 8601 time' };
  }
  const principal = principalOf(record.userIdentity);
  return {
    ok: true,
    event: {
      eventId: record.eventID,
      eventName: record.eventName,
      eventSource,
      time: when.time,
      eventTime: when.iso,
      region: present(record.awsRegion) ?? 'unknown',
      account: present(record.recipientAccountId) ?? principal.accountId ?? 'unknown',
      principal,
      errorCode: present(record.errorCode),
      errorMessage: truncate(record.errorMessage),
      readOnly: flag(record.readOnly),
      eventCategory: present(record.eventCategory) ?? 'Management',
      sourceIp: truncate(record.sourceIPAddress),
      userAgent: truncate(record.userAgent),
      resources:
        record.resources === undefined || record.resources === null || record.resources.length === 0
          ? NO_RESOURCES
          : record.resources.map((resource) => ({ arn: present(resource.ARN), type: present(resource.type) })),
      requestParameters: record.requestParameters ?? undefined,
      responseElements: record.responseElements ?? undefined,
    },
  };
}

/**
 * The event source of a record of another service, read before validation so that a record Amazon Q has
 * nothing to do with is never judged: undefined for Amazon Q's records, for other services' records that
 * Amazon Q Developer made for a user (`userIdentity.invokedBy`), and for values without a string eventSource
 * (validation explains those).
 */
function otherServiceOf(candidate: unknown): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const { eventSource, userIdentity } = candidate as { eventSource?: unknown; userIdentity?: unknown };
  if (typeof eventSource !== 'string' || isEventSource(eventSource)) return undefined;
  const invokedBy = typeof userIdentity === 'object' && userIdentity !== null ? (userIdentity as { invokedBy?: unknown }).invokedBy : undefined;
  return invokedBy === Q_INVOKED_BY ? undefined : eventSource;
}

const otherServiceResult = (eventSource: string): NormalizeResult => ({ ok: false, passedOver: true, reason: `eventSource ${JSON.stringify(eventSource.slice(0, 128))} is not Amazon Q` });

/** Accepts either shape; `approxBytes` lets callers that already hold the raw text skip re-serialising. */
export function normalizeEvent(input: unknown, approxBytes?: number): NormalizeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'input is not a JSON object' };
  }
  const isEnvelope = 'detail-type' in input || 'detail' in input;
  // A bare record of another service is passed over before it is measured: most of a real trail, and
  // measuring a record of a parsed log file means serialising it again.
  const bareOtherService = isEnvelope ? undefined : otherServiceOf(input);
  if (bareOtherService !== undefined) return otherServiceResult(bareOtherService);
  const bytes = approxBytes ?? Buffer.byteLength(JSON.stringify(input));
  if (bytes > MAX_EVENT_BYTES) {
    return { ok: false, reason: `event is ${bytes} bytes, larger than the ${MAX_EVENT_BYTES}-byte EventBridge limit` };
  }
  let candidate: unknown = input;
  if (isEnvelope) {
    const envelope = validate(eventBridgeEnvelopeSchema, isEventBridgeEnvelope, input);
    if (!envelope.ok) return { ok: false, reason: `EventBridge envelope: ${describeIssues(envelope.issues)}` };
    // Not a CloudTrail record at all (a scheduled event, another service's own event): nothing of Amazon Q's.
    if (!CLOUDTRAIL_DETAIL_TYPES.has(envelope.value['detail-type'])) {
      return { ok: false, passedOver: true, reason: `detail-type ${JSON.stringify(envelope.value['detail-type'].slice(0, 128))} is not a CloudTrail record` };
    }
    // The envelope's `source` is not read: `detail.eventSource` decides, as the rules match it.
    candidate = envelope.value.detail;
  }
  const otherService = candidate === input ? undefined : otherServiceOf(candidate);
  if (otherService !== undefined) return otherServiceResult(otherService);
  const record = validate(cloudTrailRecordSchema, isCloudTrailRecord, candidate);
  if (!record.ok) {
    const eventId = typeof candidate === 'object' && candidate !== null && 'eventID' in candidate && typeof candidate.eventID === 'string' ? candidate.eventID.slice(0, 128) : undefined;
    return { ok: false, eventId, reason: candidate === input ? describeIssues(record.issues) : `EventBridge ${describeIssues(record.issues, 'detail')}` };
  }
  return fromRecord(record.value);
}
