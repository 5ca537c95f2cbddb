import type { TriageEvent } from '../events';
import type { AccessKind, Category, Phase, PlaybookRow, Severity } from '../playbook/types';
import { maxSeverity, raiseSeverity } from '../playbook/types';
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
  /** Aggregation rule: `playbook/<EventName>` or `unclassified/<EventName>`. */
  readonly rule: string;
  readonly self: boolean;
  readonly authFailure: boolean;
  /** Why the severity is what it is, one entry per modifier applied. */
  readonly reasons: readonly string[];
}

const READ_PREFIXES = ['Get', 'List', 'Search', 'Describe', 'Check'];

/** Unknown operations fail open: guess read or write from the verb so the auth modifier still applies. */
function guessAccess(eventName: string): AccessKind {
  return READ_PREFIXES.some((prefix) => eventName.startsWith(prefix)) ? 'read' : 'write';
}

export function isAuthorizationFailure(errorCode: string | undefined): boolean {
  return errorCode !== undefined && AUTHORIZATION_ERROR_CODES.has(errorCode);
}

/**
 * A classification depends only on these fields, so a long replay or a busy account classifies each
 * (principal, operation, outcome) once. Bounded: cleared when it grows past `MAX_MEMO`.
 */
export function createClassifier(policy: Policy, self: SelfMatcher): (event: TriageEvent) => Classification {
  const memo = new Map<string, Classification>();
  const MAX_MEMO = 50_000;
  return (event) => {
    const key = `${event.principal.key}\u0000${event.principal.type}\u0000${event.principal.sessionIssuerArn ?? ''}\u0000${event.eventSource}\u0000${event.eventName}\u0000${event.errorCode ?? ''}`;
    let classification = memo.get(key);
    if (classification === undefined) {
      if (memo.size >= MAX_MEMO) memo.clear();
      classification = classifyEvent(event, policy, self);
      memo.set(key, classification);
    }
    return classification;
  };
}

/**
 * Base severity from the table, then the modifiers in the documented order:
 * self → authorization failure → root → unknown operation. Only AWS-written fields are read.
 */
export function classifyEvent(event: TriageEvent, policy: Policy, self: SelfMatcher): Classification {
  const row = policy.rows.get(rowKey(event.eventSource, event.eventName));
  const access = row?.access ?? guessAccess(event.eventName);
  const authFailure = isAuthorizationFailure(event.errorCode);
  const base = {
    row,
    category: row?.category ?? ('unclassified' as const),
    phase: row?.phase ?? ('detection-analysis' as const),
    access,
    rule: row === undefined ? `unclassified/${event.eventName}` : `playbook/${event.eventName}`,
    authFailure,
  };
  if (self.matches(event.principal)) {
    return { ...base, severity: 'INFORMATIONAL', self: true, reasons: ["the backend's own principal: never alerted"] };
  }
  const reasons: string[] = [];
  let severity: Severity = row?.severity ?? 'LOW';
  reasons.push(row === undefined ? 'operation not in the playbook table' : `playbook table: ${row.severity}`);
  if (authFailure) {
    severity = access === 'write' ? 'MEDIUM' : 'LOW';
    reasons.push(`authorization failure (${String(event.errorCode)}) on a ${access === 'write' ? 'write' : access === 'chat' ? 'chat call' : 'read'}: ${severity}`);
  } else if (event.errorCode !== undefined) {
    reasons.push(`call failed (${event.errorCode})`);
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
