/**
 * What the renderers share: operation ranking, principal labels, the headline, the memo of shared lists.
 * Every field that an attacker can choose goes through shared/alerts/escape.ts on the way out.
 */
import type { Alert, Enrichment, EventSample, PrincipalContext } from '../model';
import { headlineResource, type EvidenceItem, type Principal } from '../../events';
import { FIELD_LIMITS, cleanText } from '../escape';
import type { PublishKind } from '../../notify/types';

export interface RenderOptions {
  /** Whether this is the first message of the incident, an update, or the answer and context that followed it. */
  readonly kind?: PublishKind;
  /** Set when lists were shortened to fit a size limit (see shared/notify/trim.ts). */
  readonly truncated?: boolean;
}

/** Operation names, most frequent first (ties by name), so the top of the list is what dominated. */
export function rankedEventNames(alert: Alert): [string, number][] {
  return Object.entries(alert.eventNames).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
}

/** The operation that dominated the incident: the SNS `eventName` attribute. */
export function dominantEventName(alert: Alert): string {
  return rankedEventNames(alert)[0]?.[0] ?? 'unknown';
}

/** The line a first message carries when it went out before its playbook answer and context (page first). */
export const ENRICHMENT_FOLLOWS =
  'The playbook answer and the principal context follow in a separate message for this alert id.';

export function titleLine(alert: Alert): string {
  return `[${alert.severity}] ${cleanText(alert.title, FIELD_LIMITS.short)}`;
}

/** Whether this message announces the rise that paged after the first message (see Escalation.update). */
export const announcesEscalation = (alert: Alert, kind: RenderOptions['kind']): boolean =>
  kind === 'update' && alert.escalation?.update === alert.updates;

/** What a later message of the incident is, after its title: ` (escalated from LOW, update 2)`, ` (closed, update 3)`, ` (update 1)`. */
export function messageLabel(alert: Alert, kind: RenderOptions['kind']): string {
  if (kind === 'enrichment') return ' (playbook answer and context)';
  if (kind !== 'update') return '';
  if (announcesEscalation(alert, kind) && alert.escalation !== undefined)
    return ` (escalated from ${alert.escalation.from}, update ${alert.updates})`;
  return alert.closedAt !== undefined ? ` (closed, update ${alert.updates})` : ` (update ${alert.updates})`;
}

/** One plain sentence for the rise that paged, or the close; cleaned (the operation and rule come from the record). */
export function statusSentence(alert: Alert, kind: RenderOptions['kind']): string | undefined {
  const { escalation } = alert;
  if (announcesEscalation(alert, kind) && escalation !== undefined) {
    return `Escalated from ${escalation.from} to ${escalation.to} by ${cleanText(escalation.by, FIELD_LIMITS.eventName)} at ${cleanText(escalation.at, FIELD_LIMITS.short)} (rule ${cleanText(escalation.rule, FIELD_LIMITS.short)}).`;
  }
  if (kind === 'update' && alert.closedAt !== undefined) {
    return `Closed at ${cleanText(alert.closedAt, FIELD_LIMITS.short)}: no activity since ${cleanText(alert.lastSeen, FIELD_LIMITS.short)}; these are the final counts.`;
  }
  return undefined;
}

export function principalLabel(principal: Principal): string {
  return cleanText(principal.arn ?? principal.key, FIELD_LIMITS.principal);
}

/**
 * The part of a principal that tells it apart: the resource of its ARN (`assumed-role/Role/session`,
 * `user/alice`, `root`) with the account when it is not the alert's, else its key. Not cleaned.
 */
export function principalShortName(principal: Principal, account?: string): string {
  const arn = principal.arn;
  if (arn === undefined) return principal.key;
  // arn:partition:service:region:account:resource
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return arn;
  const resource = parts.slice(5).join(':');
  const owner = parts[4] ?? '';
  return owner === '' || owner === account ? resource : `${owner}:${resource}`;
}

export function principalDetails(principal: Principal): string {
  const parts = [
    `type ${cleanText(principal.type, FIELD_LIMITS.short)}`,
    principal.userName !== undefined ? `user ${cleanText(principal.userName, FIELD_LIMITS.principal)}` : undefined,
    principal.accessKeyId !== undefined ? `key ${cleanText(principal.accessKeyId, FIELD_LIMITS.short)}` : undefined,
    principal.sessionIssuerArn !== undefined
      ? `issuer ${cleanText(principal.sessionIssuerArn, FIELD_LIMITS.arn)}`
      : undefined,
    principal.onBehalfOfUserId !== undefined
      ? `on behalf of ${cleanText(principal.onBehalfOfUserId, FIELD_LIMITS.principal)}`
      : undefined,
    principal.invokedBy !== undefined ? `invoked by ${cleanText(principal.invokedBy, FIELD_LIMITS.short)}` : undefined,
    principal.mfaAuthenticated !== undefined ? `MFA ${principal.mfaAuthenticated ? 'yes' : 'no'}` : undefined,
  ];
  return parts.filter((part): part is string => part !== undefined).join(', ');
}

/** `kind value`, cleaned; names are quoted so that a hostile one reads as a value. */
export function evidenceText(item: EvidenceItem): string {
  if (item.kind === 'more') return cleanText(item.value, FIELD_LIMITS.short);
  const value = cleanText(item.value, FIELD_LIMITS.arn);
  return item.kind === 'name' ? `name "${value}"` : `${item.kind} ${value}`;
}

/** The resources one operation of the alert touched (empty for alerts stored before evidence existed). */
export function resourcesOf(alert: Alert, eventName: string): readonly EvidenceItem[] {
  return alert.resources?.find((operation) => operation.eventName === eventName)?.resources ?? [];
}

/** `2026-11-20T14:00:30.000Z` → `2026-11-20 14:00:30Z`: the same instant, shorter. Not cleaned. */
export function shortTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/u.test(iso)
    ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`
    : iso;
}

function timeSpan(alert: Alert): string {
  const first = shortTime(alert.firstSeen);
  if (alert.lastSeen === alert.firstSeen) return first;
  const last = shortTime(alert.lastSeen);
  return last.slice(0, 10) === first.slice(0, 10) ? `${first}–${last.slice(11)}` : `${first}–${last}`;
}

/** When every sample failed (AccessDenied…), the principal tried and did not do: the error codes, else undefined. */
function failureCodes(samples: readonly EventSample[]): string | undefined {
  if (samples.length === 0 || samples.some((sample) => sample.errorCode === undefined)) return undefined;
  const codes = [...new Set(samples.map((sample) => cleanText(sample.errorCode, FIELD_LIMITS.short)))];
  return codes.length > 2 ? `${codes.slice(0, 2).join(', ')}…` : codes.join(', ');
}

/**
 * One line: how bad, who, did what, to which resource, where, when. Cleaned: safe for any output. For example
 * `HIGH: assumed-role/CIRole/i-0abc CreatePlugin on plugin 7a66… in 111122223333/us-east-1 at 2026-11-20 14:00:30Z`.
 */
export function headline(alert: Alert): string {
  const ranked = rankedEventNames(alert);
  const operations = ranked
    .slice(0, 2)
    .map(([name, n]) => `${cleanText(name, FIELD_LIMITS.eventName)}${n > 1 ? ` x${n}` : ''}`)
    .join(', ');
  const more = ranked.length > 2 ? ` and ${ranked.length - 2} more operation${ranked.length > 3 ? 's' : ''}` : '';
  const failed = failureCodes(alert.samples);
  const did = failed !== undefined ? `tried ${operations}${more} (${failed})` : `${operations}${more}`;
  const target = headlineResource(resourcesOf(alert, ranked[0]?.[0] ?? ''));
  const on = target !== undefined ? ` on ${evidenceText(target)}` : '';
  const who = cleanText(principalShortName(alert.principal, alert.account), FIELD_LIMITS.principal);
  const where = `${cleanText(alert.account, FIELD_LIMITS.short)}/${cleanText(alert.region, FIELD_LIMITS.short)}`;
  return `${alert.severity}: ${who} ${did}${on} in ${where} at ${cleanText(timeSpan(alert), FIELD_LIMITS.short)}`;
}

export function enrichmentHeading(enrichment: Enrichment): string {
  const details = [
    enrichment.source !== undefined ? cleanText(enrichment.source, FIELD_LIMITS.short) : undefined,
    enrichment.cached === true ? 'cached' : undefined,
    enrichment.answeredAt !== undefined
      ? `answered ${cleanText(enrichment.answeredAt, FIELD_LIMITS.short)}`
      : undefined,
  ].filter((part): part is string => part !== undefined);
  return details.length > 0 ? ` (${details.join(', ')})` : '';
}

export function enrichmentFailure(enrichment: Enrichment): string {
  const reason = enrichment.reason !== undefined ? `: ${cleanText(enrichment.reason, FIELD_LIMITS.sentence)}` : '';
  return `no answer (${enrichment.status}${reason})`;
}

export function contextHeading(context: PrincipalContext): string {
  const partial = context.complete
    ? ''
    : `, partial${context.note !== undefined ? `: ${cleanText(context.note, FIELD_LIMITS.sentence)}` : ''}`;
  return `Principal activity (last ${context.windowHours} h${partial})`;
}

export function contextFacts(context: PrincipalContext): string[] {
  return [
    context.firstSeen !== undefined ? `First seen: ${cleanText(context.firstSeen, FIELD_LIMITS.short)}` : undefined,
    context.sourceIps.length > 0
      ? `Source IPs: ${context.sourceIps.map((ip) => cleanText(ip, FIELD_LIMITS.sourceIp)).join(', ')}`
      : undefined,
    context.userAgents.length > 0
      ? `User agents: ${context.userAgents.map((ua) => `"${cleanText(ua, FIELD_LIMITS.userAgent)}"`).join(', ')}`
      : undefined,
  ].filter((line): line is string => line !== undefined);
}

export function definedEntries<T>(record: Record<string, T | undefined>): Record<string, T> {
  // A loop, not fromEntries(entries().filter()): it runs for every sample and step of every alert.
  const defined: Record<string, T> = {};
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (value !== undefined) defined[key] = value;
  }
  return defined;
}

export const clean =
  (limit: number) =>
  (value: string): string =>
    cleanText(value, limit);
export const cleanOptional = (value: string | undefined, limit: number): string | undefined =>
  value === undefined ? undefined : cleanText(value, limit);

/** Links are cleaned the same way for text and JSON. */
export const cleanLinks = (links: readonly string[]): readonly string[] => links.map(clean(FIELD_LIMITS.arn));
