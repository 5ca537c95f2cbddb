/**
 * The stored alert, checked when it is read back: an incident item in the state table holds its alert as JSON,
 * and an item written by another version or damaged by hand must be a clear error where it is read, not a
 * crash three stages later. Built on first use (most invocations read no incident).
 */
import * as z from 'zod/mini';
import { once } from '../lazy';
import { CATEGORIES, PHASES, SEVERITIES } from '../playbook/types';
import type { Alert, Citation, EventSample } from './model';

export const citationSchema = z.object({ title: z.string(), url: z.optional(z.string()) });

const evidenceItemSchema = z.object({ kind: z.string(), value: z.string() });

const eventSampleShape = once(() =>
  z.object({
    eventId: z.string(),
    eventName: z.string(),
    eventTime: z.string(),
    errorCode: z.optional(z.string()),
    sourceIp: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    resourceArns: z.array(z.string()),
    region: z.optional(z.string()),
    dataEvent: z.optional(z.boolean()),
    evidence: z.optional(z.array(evidenceItemSchema)),
  }),
);

const alertShape = once(() =>
  z.object({
    id: z.string(),
    severity: z.enum(SEVERITIES),
    category: z.enum(CATEGORIES),
    rule: z.string(),
    title: z.string(),
    description: z.string(),
    phase: z.enum(PHASES),
    principal: z.object({
      key: z.string(),
      type: z.string(),
      arn: z.optional(z.string()),
      accountId: z.optional(z.string()),
      userName: z.optional(z.string()),
      accessKeyId: z.optional(z.string()),
      sessionIssuerArn: z.optional(z.string()),
      invokedBy: z.optional(z.string()),
      onBehalfOfUserId: z.optional(z.string()),
      mfaAuthenticated: z.optional(z.boolean()),
    }),
    account: z.string(),
    region: z.string(),
    firstSeen: z.string(),
    lastSeen: z.string(),
    count: z.number(),
    updates: z.number(),
    eventIds: z.array(z.string()),
    eventNames: z.record(z.string(), z.number()),
    reasons: z.array(z.string()),
    steps: z.array(z.object({ text: z.string(), link: z.optional(z.string()) })),
    stepGroups: z.optional(z.array(z.object({ severity: z.enum(SEVERITIES), size: z.number() }))),
    questions: z.array(z.string()),
    links: z.array(z.string()),
    samples: z.array(eventSampleShape()),
    resources: z.optional(z.array(z.object({ eventName: z.string(), resources: z.array(evidenceItemSchema) }))),
    paged: z.boolean(),
    enrichmentFollows: z.optional(z.boolean()),
    closedAt: z.optional(z.string()),
    escalation: z.optional(
      z.object({
        from: z.enum(SEVERITIES),
        to: z.enum(SEVERITIES),
        by: z.string(),
        rule: z.string(),
        at: z.string(),
        update: z.optional(z.number()),
      }),
    ),
    enrichment: z.optional(
      z.object({
        status: z.enum(['answered', 'timeout', 'throttled', 'no-answer', 'disabled', 'error', 'circuit-open']),
        reason: z.optional(z.string()),
        answer: z.optional(z.string()),
        citations: z.array(citationSchema),
        source: z.optional(z.string()),
        answeredAt: z.optional(z.string()),
        cached: z.optional(z.boolean()),
      }),
    ),
    context: z.optional(
      z.object({
        windowHours: z.number(),
        complete: z.boolean(),
        note: z.optional(z.string()),
        answers: z.array(z.object({ question: z.string(), answer: z.string() })),
        firstSeen: z.optional(z.string()),
        sourceIps: z.array(z.string()),
        userAgents: z.array(z.string()),
      }),
    ),
  }),
);

/**
 * The schemas describe the model: what they parse is a model value, and a field the model gains without the
 * schema would be dropped on read, so it fails the type check here.
 */
type Covers<Parsed, Model> = [Parsed] extends [Model]
  ? [Exclude<keyof Model, keyof Parsed>] extends [never]
    ? true
    : false
  : false;
const alertSchemaCoversModel: Covers<z.infer<ReturnType<typeof alertShape>>, Alert> = true;
const sampleSchemaCoversModel: Covers<z.infer<ReturnType<typeof eventSampleShape>>, EventSample> = true;
const citationSchemaCoversModel: Covers<z.infer<typeof citationSchema>, Citation> = true;
void [alertSchemaCoversModel, sampleSchemaCoversModel, citationSchemaCoversModel];

export type ParsedJson<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

function parseJsonWith<T>(schema: z.ZodMiniType<T>, text: string): ParsedJson<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const first = parsed.error.issues[0];
  return {
    ok: false,
    problem: first === undefined ? 'invalid' : `${first.path.join('.') || 'value'}: ${first.message}`,
  };
}

/** A stored alert's JSON, checked against the model. */
export const parseStoredAlert = (text: string): ParsedJson<Alert> => parseJsonWith(alertShape(), text);

/** A stored event sample's JSON (processed-event markers), checked against the model. */
export const parseStoredSample = (text: string): ParsedJson<EventSample> => parseJsonWith(eventSampleShape(), text);
