/** Vocabulary of the playbook table. Every list is `as const` so ids are checked by the compiler. */

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = [
  'application',
  'index',
  'retriever',
  'data-source',
  'document',
  'conversation',
  'user-group',
  'plugin',
  'guardrails',
  'web-experience',
  'data-accessor',
  'subscription',
  'q-app',
  'developer-ide',
  'general',
  'unclassified',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Incident-response phases of the AWS playbook framework in which a row's response steps belong. */
export const PHASES = ['detection-analysis', 'containment-eradication', 'recovery'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Every CloudTrail event source of Amazon Q, with the EventBridge `source` of its events (`aws.` + the
 * service prefix). `detail.eventSource` decides whether a record is Amazon Q; `source` is only documented here.
 * Q Business; Q Apps (Q Business user guide, "Logging Amazon Q Apps API calls using AWS CloudTrail"); Q Developer
 * in the console (Q Developer user guide, "Logging Amazon Q Developer API calls using AWS CloudTrail"); Q Developer
 * in the IDE and CLI (EventBridge event reference, events-ref-codewhisperer).
 */
export const EVENT_SOURCES = [
  'qbusiness.amazonaws.com',
  'qapps.amazonaws.com',
  'q.amazonaws.com',
  'codewhisperer.amazonaws.com',
] as const;
export type EventSource = (typeof EVENT_SOURCES)[number];
export const EVENT_BRIDGE_SOURCES: Readonly<Record<EventSource, string>> = {
  'qbusiness.amazonaws.com': 'aws.qbusiness',
  'qapps.amazonaws.com': 'aws.qapps',
  'q.amazonaws.com': 'aws.q',
  'codewhisperer.amazonaws.com': 'aws.codewhisperer',
};
/** Amazon Q Developer acting for a user: the other services' records it causes carry this `invokedBy`. */
export const Q_INVOKED_BY = 'q.amazonaws.com';
export const isEventSource = (value: string): value is EventSource =>
  (EVENT_SOURCES as readonly string[]).includes(value);

/**
 * How a call touches the service. Decides the authorization-failure modifier
 * (a denied write is MEDIUM, a denied read or chat is LOW) and the bulk rules.
 */
export const ACCESS_KINDS = ['read', 'write', 'chat'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export interface ResponseStep {
  readonly text: string;
  /** Official AWS documentation for the step. */
  readonly link?: string;
}

export interface PlaybookRow {
  readonly eventSource: EventSource;
  /** Canonical API operation name, exactly as CloudTrail writes it in `eventName`. */
  readonly eventName: string;
  readonly category: Category;
  /** What the call does and why it matters to a responder, in our own words. */
  readonly description: string;
  readonly severity: Severity;
  readonly phase: Phase;
  readonly access: AccessKind;
  /** Response steps specific to this operation; the category's steps follow them in alerts. */
  readonly steps: readonly ResponseStep[];
  /** True when the Amazon Q playbook's event-name table names this operation. */
  readonly inPlaybook: boolean;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

const PAGING_MIN_RANK = severityRank('HIGH');
/** HIGH and CRITICAL alerts page (the paging topic, the hourly cap). */
export const isPagingSeverity = (severity: Severity): boolean => severityRank(severity) >= PAGING_MIN_RANK;

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

export function raiseSeverity(severity: Severity, levels = 1): Severity {
  const rank = Math.min(severityRank(severity) + levels, SEVERITIES.length - 1);
  return SEVERITIES[rank] as Severity;
}
