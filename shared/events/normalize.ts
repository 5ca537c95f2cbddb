/**
 * Turns one untrusted input value (an EventBridge envelope or a bare CloudTrail record)
 * into a TriageEvent, or a rejection with a reason a person can act on.
 */
import type { $ZodIssue } from 'zod/v4/core';
import { EVENT_SOURCES, type EventSource } from '../playbook/types';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  cloudTrailRecordSchema,
  eventBridgeEnvelopeSchema,
  type CloudTrailRecord,
  type UserIdentity,
} from './schema';
import { compileCheck } from './check';

const isCloudTrailRecord = compileCheck(cloudTrailRecordSchema);

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
  readonly eventSource: EventSource;
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
  /** The whole record as received, unknown fields included. Attacker-controlled in parts. */
  readonly record: CloudTrailRecord;
}

export type NormalizeResult =
  | { readonly ok: true; readonly event: TriageEvent }
  | { readonly ok: false; readonly reason: string; readonly eventId?: string };

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** EventBridge `source` of CloudTrail events: `aws.` + the service prefix. `detail.eventSource` decides the rest. */
const EVENT_BRIDGE_SOURCES: ReadonlySet<string> = new Set(['aws.qbusiness', 'aws.q']);

export function describeIssues(issues: readonly $ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.join('.') || 'record';
      switch (issue.code) {
        case 'invalid_type':
          // Parsed with reportInput, so an absent input means the field is missing.
          return issue.input === undefined ? `missing required field ${field}` : `${field} must be a ${issue.expected}, not ${issue.input === null ? 'null' : typeof issue.input}`;
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

export function principalOf(identity: UserIdentity): Principal {
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
          : `${identity.type}:${principalId ?? present(identity.invokedBy) ?? present(identity.accountId) ?? 'unknown'}`));
  const mfa = identity.sessionContext?.attributes?.mfaAuthenticated;
  return {
    key,
    type: identity.type,
    arn,
    accountId: present(identity.accountId),
    userName: present(identity.userName) ?? present(issuer?.userName),
    accessKeyId: present(identity.accessKeyId),
    sessionIssuerArn: present(issuer?.arn),
    invokedBy: present(identity.invokedBy),
    onBehalfOfUserId,
    mfaAuthenticated: mfa === undefined || mfa === null ? undefined : mfa === 'true',
  };
}

function fromRecord(record: CloudTrailRecord): NormalizeResult {
  const eventSource = EVENT_SOURCES.find((source) => source === record.eventSource);
  if (eventSource === undefined) {
    return { ok: false, eventId: record.eventID, reason: `eventSource ${JSON.stringify(record.eventSource.slice(0, 128))} is not an Amazon Q source` };
  }
  const time = Date.parse(record.eventTime);
  // Date.parse also takes "1" or local-time formats; CloudTrail writes ISO 8601 in UTC.
  if (!ISO_8601.test(record.eventTime) || Number.isNaN(time)) {
    return { ok: false, eventId: record.eventID, reason: 'eventTime is not an ISO 8601 time' };
  }
  const principal = principalOf(record.userIdentity);
  return {
    ok: true,
    event: {
      eventId: record.eventID,
      eventName: record.eventName,
      eventSource,
      time,
      eventTime: new Date(time).toISOString(),
      region: present(record.awsRegion) ?? 'unknown',
      account: present(record.recipientAccountId) ?? principal.accountId ?? 'unknown',
      principal,
      errorCode: present(record.errorCode),
      errorMessage: truncate(record.errorMessage),
      readOnly: record.readOnly ?? undefined,
      eventCategory: present(record.eventCategory) ?? 'Management',
      sourceIp: truncate(record.sourceIPAddress),
      userAgent: truncate(record.userAgent),
      resources: (record.resources ?? []).map((resource) => ({
        arn: present(resource.ARN),
        type: present(resource.type),
      })),
      record,
    },
  };
}

/** Accepts either shape; `approxBytes` lets callers that already hold the raw text skip re-serialising. */
export function normalizeEvent(input: unknown, approxBytes?: number): NormalizeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'input is not a JSON object' };
  }
  const bytes = approxBytes ?? Buffer.byteLength(JSON.stringify(input));
  if (bytes > MAX_EVENT_BYTES) {
    return { ok: false, reason: `event is ${bytes} bytes, larger than the ${MAX_EVENT_BYTES}-byte EventBridge limit` };
  }
  let candidate: unknown = input;
  if ('detail-type' in input || 'detail' in input) {
    const envelope = eventBridgeEnvelopeSchema.safeParse(input, { reportInput: true });
    if (!envelope.success) return { ok: false, reason: `EventBridge envelope: ${describeIssues(envelope.error.issues)}` };
    if (envelope.data['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE) {
      return { ok: false, reason: `detail-type ${JSON.stringify(envelope.data['detail-type'].slice(0, 128))} is not "${CLOUDTRAIL_DETAIL_TYPE}"` };
    }
    if (!EVENT_BRIDGE_SOURCES.has(envelope.data.source)) {
      return { ok: false, reason: `source ${JSON.stringify(envelope.data.source.slice(0, 128))} is not aws.qbusiness or aws.q` };
    }
    candidate = envelope.data.detail;
  }
  // The compiled check first; zod itself judges (and explains) only what the check turns down.
  if (!isCloudTrailRecord(candidate)) {
    const parsed = cloudTrailRecordSchema.safeParse(candidate, { reportInput: true });
    if (!parsed.success) {
      const eventId = typeof candidate === 'object' && candidate !== null && 'eventID' in candidate && typeof candidate.eventID === 'string' ? candidate.eventID.slice(0, 128) : undefined;
      return { ok: false, eventId, reason: describeIssues(parsed.error.issues) };
    }
  }
  // Validated: the declared fields have their declared types, so the original record is read directly.
  return fromRecord(candidate as CloudTrailRecord);
}
