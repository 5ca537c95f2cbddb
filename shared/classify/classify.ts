import type { TriageEvent } from '../events';
import type { AccessKind, Category, Phase, PlaybookRow, Severity } from '../playbook/types';
import { severityRank } from '../playbook/types';
import { isEventSource, maxSeverity, Q_INVOKED_BY, raiseSeverity } from '../playbook/types';
import { Q_ON_BEHALF_ROWS } from '../playbook/table';
import { rowKey, type Policy } from './policy';
import type { SelfMatcher } from './self';

/** Error codes CloudTrail writes when a caller was not allowed to make the call. */
export const AUTHORIZATION_ERROR_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'Client.UnauthorizedOperation',
  'UnauthorizedException',
  'UnauthorizedAccess',
  'NotAuthorized',
  'NotAuthorizedException',
  'Forbidden',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
]);

export interface Classification {
  readonly row?: PlaybookRow;
  readonly category: Category;
  readonly severity: Severity;
  readonly phase: Phase;
  readonly access: AccessKind;
  /** Aggregation rule: `playbook/<EventName>`, `q-on-behalf/<EventName>` or `unclassified/<EventName>`. */
  readonly rule: string;
  readonly self: boolean;
  readonly authFailure: boolean;
  /** Why the severity is what it is, one entry per modifier applied. */
  readonly reasons: readonly string[];
}

const READ_PREFIXES = ['Get', 'List', 'Search', 'Describe', 'Check'];

const minSeverity = (a: Severity, b: Severity): Severity => (severityRank(a) <= severityRank(b) ? a : b);

/** Unknown operations fail open: guess read or write from the verb so the auth modifier still applies. */
function guessAccess(eventName: string): AccessKind {
  return READ_PREFIXES.some((prefix) => eventName.startsWith(prefix)) ? 'read' : 'write';
}

export function isAuthorizationFailure(errorCode: string | undefined): boolean {
  return errorCode !== undefined && AUTHORIZATION_ERROR_CODES.has(errorCode);
}

/**
 * A classification depends only on the operation, the error code, whether the principal is root and
 * whether it is the backend's own, so a long replay or a busy account classifies each combination once.
 * Keyed by operation name, then a short list of variants: no key strings are built per event. Measured on
 * the replay bench (100k events, json): without it 8.0 s CPU and 472 MB against 5.1–5.6 s and 210 MB, as
 * replay's event lines serialise each classification once, by identity (cli/commands/replay.ts).
 */
export function createClassifier(policy: Policy, self: SelfMatcher): (event: TriageEvent) => Classification {
  interface Variant {
    readonly eventSource: string;
    readonly errorCode: string | undefined;
    readonly root: boolean;
    readonly self: boolean;
    readonly classification: Classification;
  }
  const memo = new Map<string, Variant[]>();
  const MAX_OPERATIONS = 10_000;
  return (event) => {
    const root = event.principal.type === 'Root';
    const isSelf = self.matches(event.principal);
    let variants = memo.get(event.eventName);
    if (variants === undefined) {
      if (memo.size >= MAX_OPERATIONS) memo.clear();
      variants = [];
      memo.set(event.eventName, variants);
    }
    for (const variant of variants) {
      if (
        variant.eventSource === event.eventSource &&
        variant.errorCode === event.errorCode &&
        variant.root === root &&
        variant.self === isSelf
      ) {
        return variant.classification;
      }
    }
    const classification = classifyEvent(event, policy, self);
    // Forged events can carry endless error codes: keep the list short, the newest last.
    if (variants.length >= 32) variants.shift();
    variants.push({ eventSource: event.eventSource, errorCode: event.errorCode, root, self: isSelf, classification });
    return classification;
  };
}

/**
 * Base severity from the table, then the modifiers in the documented order:
 * self → authorization failure → root → unknown operation. Only AWS-written fields are read.
 */
/** Another service's call that Amazon Q Developer made for a user: graded by whether it read or changed something. */
function onBehalfRow(event: TriageEvent): PlaybookRow | undefined {
  if (event.principal.invokedBy !== Q_INVOKED_BY || isEventSource(event.eventSource)) return undefined;
  const reads = event.readOnly ?? guessAccess(event.eventName) === 'read';
  return Q_ON_BEHALF_ROWS[reads ? 'read' : 'write'];
}

function ruleOf(event: TriageEvent, row: PlaybookRow | undefined, onBehalf: boolean): string {
  if (row === undefined) return `unclassified/${event.eventName}`;
  return onBehalf ? `q-on-behalf/${event.eventName}` : `playbook/${event.eventName}`;
}

export function classifyEvent(event: TriageEvent, policy: Policy, self: SelfMatcher): Classification {
  const tableRow = policy.rows.get(rowKey(event.eventSource, event.eventName));
  const row = tableRow ?? onBehalfRow(event);
  const access = row?.access ?? guessAccess(event.eventName);
  const authFailure = isAuthorizationFailure(event.errorCode);
  const base = {
    row,
    category: row?.category ?? ('unclassified' as const),
    phase: row?.phase ?? ('detection-analysis' as const),
    access,
    rule: ruleOf(event, row, tableRow === undefined),
    authFailure,
  };
  if (self.matches(event.principal)) {
    return { ...base, severity: 'INFORMATIONAL', self: true, reasons: ["the backend's own principal: never alerted"] };
  }
  const reasons: string[] = [];
  let severity: Severity = row?.severity ?? 'LOW';
  reasons.push(
    row === undefined
      ? 'operation not in the playbook table'
      : tableRow === undefined
        ? `Amazon Q Developer acting for the user: ${row.severity}`
        : `playbook table: ${row.severity}`,
  );
  if (authFailure) {
    severity = access === 'write' ? 'MEDIUM' : 'LOW';
    reasons.push(
      `authorization failure (${String(event.errorCode)}) on a ${access === 'write' ? 'write' : access === 'chat' ? 'chat call' : 'read'}: ${severity}`,
    );
  } else if (event.errorCode !== undefined) {
    // A call that failed for any other reason (not found, validation, throttling, conflict) changed nothing;
    // a run of them is the burst rules' business.
    severity = minSeverity(severity, 'LOW');
    reasons.push(`call failed (${event.errorCode}), nothing changed: ${severity}`);
  }
  if (event.principal.type === 'Root') {
    severity = maxSeverity(raiseSeverity(severity), 'MEDIUM');
    reasons.push(`root identity: raised to ${severity}`);
  }
  if (row === undefined) {
    severity = maxSeverity(severity, 'LOW');
    reasons.push('unclassified: update the playbook table');
  }
  return { ...base, severity, self: false, reasons };
}
