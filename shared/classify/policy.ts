/**
 * The severity policy as data: the playbook table indexed for lookup, the stateful (burst) rules and
 * the windows. A user rules file (see overrides.ts) produces a modified Policy; nothing else does.
 */
import { PLAYBOOK_TABLE } from '../playbook/table';
import type { Category, PlaybookRow, Severity } from '../playbook/types';

export const BURST_RULE_IDS = ['bulk-read', 'bulk-delete', 'auth-failures'] as const;
export type BurstRuleId = (typeof BURST_RULE_IDS)[number];

export interface BurstRule {
  readonly id: BurstRuleId;
  readonly title: string;
  /** Fixed per rule, so that subscription filter policies on `category` see bursts predictably. */
  readonly category: Category;
  /** Successful calls of these operations count; empty when the rule counts authorization failures. */
  readonly operations: readonly string[];
  readonly countsAuthFailures: boolean;
  readonly threshold: number;
  readonly severity: Severity;
}

export interface Policy {
  readonly rows: ReadonlyMap<string, PlaybookRow>;
  readonly bursts: readonly BurstRule[];
  /** Sliding window of event time over which burst rules count. */
  readonly burstWindowMs: number;
  /** An incident stays open while its events are at most this far apart. */
  readonly aggregationWindowMs: number;
  /** A long-running incident is closed after this long so that it is re-raised (and may page again). */
  readonly maxIncidentMs: number;
}

export const DEFAULT_BURST_RULES: readonly BurstRule[] = [
  {
    id: 'bulk-read',
    title: 'Bulk read of conversations or documents',
    category: 'conversation',
    // GetDocumentContent hands out a whole source document: downloads are reads of documents too.
    operations: [
      'ListConversations',
      'ListMessages',
      'GetConversation',
      'ListDocuments',
      'SearchRelevantContent',
      'GetDocumentContent',
    ],
    countsAuthFailures: false,
    threshold: 50,
    severity: 'HIGH',
  },
  {
    id: 'bulk-delete',
    title: 'Bulk deletion of documents, conversations, users or groups',
    category: 'document',
    operations: ['BatchDeleteDocument', 'DeleteConversation', 'DeleteUser', 'DeleteGroup'],
    countsAuthFailures: false,
    threshold: 20,
    severity: 'HIGH',
  },
  {
    id: 'auth-failures',
    title: 'Repeated authorization failures against Amazon Q',
    category: 'application',
    operations: [],
    countsAuthFailures: true,
    threshold: 10,
    severity: 'HIGH',
  },
];

export const rowKey = (eventSource: string, eventName: string): string => `${eventSource}|${eventName}`;

export function indexRows(rows: readonly PlaybookRow[]): Map<string, PlaybookRow> {
  return new Map(rows.map((row) => [rowKey(row.eventSource, row.eventName), row]));
}

const MINUTE = 60_000;

export function defaultPolicy(options: { aggregationWindowMs?: number } = {}): Policy {
  return {
    rows: indexRows(PLAYBOOK_TABLE),
    bursts: DEFAULT_BURST_RULES,
    burstWindowMs: 5 * MINUTE,
    aggregationWindowMs: options.aggregationWindowMs ?? 5 * MINUTE,
    maxIncidentMs: 60 * MINUTE,
  };
}
