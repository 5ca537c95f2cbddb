/**
 * Routine activity rolled up: events no rule, burst or incident can use (a successful ChatSync, most of an
 * account's Amazon Q traffic) are not logged one item each. Each container counts them per principal per hour
 * (operation counts, first and last time, source IPs, user agents, the application and plugin ids named,
 * attachments) and writes each principal-hour with one UpdateItem that adds its counts, when its buffer is
 * ROLLUP_FLUSH_MS old (in event time or in wall time), before an alert's context is read, or when it holds
 * too many principal-hours. What a container that is retired holds unwritten (at most ROLLUP_FLUSH_MS of its
 * routine events) is lost: docs/context.md.
 */
import type { TriageEvent } from '../events';
import { MAX_ENTRY_TEXT, extractIds, type ActivityEntry } from './activity';

/** How long routine counts may wait in a container before they are written. */
export const ROLLUP_FLUSH_MS = 15 * 60_000;
/** Principal-hours a container holds before it writes them whatever their age. */
export const MAX_BUFFERED_ROLLUPS = 1000;
/** Distinct operation keys, source IPs and user agents one principal-hour keeps. */
export const MAX_ROLLUP_OPERATIONS = 20;
export const MAX_ROLLUP_SOURCE_IPS = 10;
export const MAX_ROLLUP_USER_AGENTS = 5;
const HOUR_MS = 3_600_000;
const NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/u;
const SOURCE = /^[a-z0-9.-]{1,64}$/u;
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9.:_-]{0,63}$/u;
/** Attribute-name prefixes of a roll-up item: an operation's count, and its calls' attachments. */
export const COUNT_PREFIX = 'c|';
export const ATTACHMENTS_PREFIX = 'a|';

/** One operation as a roll-up counts it: what the context's answers tell apart. */
interface OperationKey {
  readonly eventSource: string;
  readonly eventName: string;
  readonly eventCategory: string;
  readonly errorCode?: string;
  readonly applicationId?: string;
  readonly pluginId?: string;
  /** Calls with files attached are counted apart, so that the context can say how many calls attached files. */
  readonly withAttachments: boolean;
}

const encode = (key: OperationKey): string =>
  [
    key.eventSource,
    key.eventName,
    key.eventCategory,
    key.errorCode ?? '',
    key.applicationId ?? '',
    key.pluginId ?? '',
    key.withAttachments ? 'files' : '',
  ].join('|');

function decode(text: string): OperationKey | undefined {
  const [eventSource, eventName, eventCategory, errorCode, applicationId, pluginId, files] = text.split('|');
  if (eventSource === undefined || eventName === undefined || eventCategory === undefined) return undefined;
  return {
    eventSource,
    eventName,
    eventCategory,
    withAttachments: files === 'files',
    ...(errorCode ? { errorCode } : {}),
    ...(applicationId ? { applicationId } : {}),
    ...(pluginId ? { pluginId } : {}),
  };
}

/** Counts of one principal in one hour, as a container holds them until written. */
export interface Rollup {
  readonly principalKey: string;
  readonly hourStart: number;
  first: number;
  last: number;
  readonly counts: Map<string, number>;
  readonly attachments: Map<string, number>;
  readonly sourceIps: Set<string>;
  readonly userAgents: Set<string>;
}

function operationKey(event: TriageEvent, keepIds: boolean, withAttachments: boolean): string {
  const request = event.requestParameters as Record<string, unknown> | undefined;
  const ids = keepIds
    ? extractIds(request, (request?.chatModeConfiguration as Record<string, unknown> | undefined)?.pluginConfiguration)
    : {};
  return encode({
    eventSource: SOURCE.test(event.eventSource) ? event.eventSource : 'other',
    eventName: NAME.test(event.eventName) ? event.eventName : 'Other',
    eventCategory: event.eventCategory === 'Data' ? 'Data' : 'Management',
    ...(event.errorCode !== undefined
      ? { errorCode: ERROR_CODE.test(event.errorCode) ? event.errorCode : 'Other' }
      : {}),
    ...(ids.applicationId !== undefined ? { applicationId: ids.applicationId } : {}),
    ...(ids.pluginId !== undefined ? { pluginId: ids.pluginId } : {}),
    withAttachments,
  });
}

function attachmentsOf(event: TriageEvent): number {
  const value = (event.requestParameters as Record<string, unknown> | undefined)?.attachments;
  return Array.isArray(value) ? value.length : 0;
}

/** The routine events a container holds, per principal-hour, and when they are due to be written. */
export class RollupBuffer {
  private readonly rollups = new Map<string, Rollup>();
  private oldestEventTime = Number.POSITIVE_INFINITY;
  private newestEventTime = Number.NEGATIVE_INFINITY;
  private heldSince: number | undefined;

  add(events: readonly TriageEvent[], now: number): void {
    for (const event of events) {
      const hourStart = Math.floor(event.time / HOUR_MS) * HOUR_MS;
      const key = `${event.principal.key}\u0000${hourStart}`;
      let rollup = this.rollups.get(key);
      if (rollup === undefined) {
        rollup = {
          principalKey: event.principal.key,
          hourStart,
          first: event.time,
          last: event.time,
          counts: new Map(),
          attachments: new Map(),
          sourceIps: new Set(),
          userAgents: new Set(),
        };
        this.rollups.set(key, rollup);
      }
      rollup.first = Math.min(rollup.first, event.time);
      rollup.last = Math.max(rollup.last, event.time);
      // Ids named by callers could grow the item without bound: past the cap, operations are counted without them.
      const attachments = attachmentsOf(event);
      let operation = operationKey(event, true, attachments > 0);
      if (!rollup.counts.has(operation) && rollup.counts.size >= MAX_ROLLUP_OPERATIONS)
        operation = operationKey(event, false, attachments > 0);
      rollup.counts.set(operation, (rollup.counts.get(operation) ?? 0) + 1);
      if (attachments > 0) rollup.attachments.set(operation, (rollup.attachments.get(operation) ?? 0) + attachments);
      if (event.sourceIp !== undefined && rollup.sourceIps.size < MAX_ROLLUP_SOURCE_IPS)
        rollup.sourceIps.add(event.sourceIp.slice(0, 64));
      if (event.userAgent !== undefined && rollup.userAgents.size < MAX_ROLLUP_USER_AGENTS)
        rollup.userAgents.add(event.userAgent.slice(0, MAX_ENTRY_TEXT / 2));
      this.oldestEventTime = Math.min(this.oldestEventTime, event.time);
      this.newestEventTime = Math.max(this.newestEventTime, event.time);
    }
    if (this.rollups.size > 0) this.heldSince ??= now;
  }

  /** Whether the held counts should be written now: old enough in event or wall time, or too many. */
  due(now: number): boolean {
    if (this.heldSince === undefined) return false;
    return (
      now - this.heldSince >= ROLLUP_FLUSH_MS ||
      this.newestEventTime - this.oldestEventTime >= ROLLUP_FLUSH_MS ||
      this.rollups.size >= MAX_BUFFERED_ROLLUPS
    );
  }

  /** Hands over what is held (only these principals' when given); emptied, the buffer starts afresh. */
  take(principalKeys?: ReadonlySet<string>): Rollup[] {
    const taken: Rollup[] = [];
    for (const [key, rollup] of this.rollups) {
      if (principalKeys !== undefined && !principalKeys.has(rollup.principalKey)) continue;
      taken.push(rollup);
      this.rollups.delete(key);
    }
    if (this.rollups.size === 0) {
      this.oldestEventTime = Number.POSITIVE_INFINITY;
      this.newestEventTime = Number.NEGATIVE_INFINITY;
      this.heldSince = undefined;
    }
    return taken;
  }

  /** Puts back counts whose write failed, to be tried with the next flush. */
  restore(rollups: readonly Rollup[], now: number): void {
    for (const rollup of rollups) {
      const key = `${rollup.principalKey}\u0000${rollup.hourStart}`;
      const held = this.rollups.get(key);
      if (held === undefined) {
        this.rollups.set(key, rollup);
        continue;
      }
      held.first = Math.min(held.first, rollup.first);
      held.last = Math.max(held.last, rollup.last);
      for (const [operation, count] of rollup.counts)
        held.counts.set(operation, (held.counts.get(operation) ?? 0) + count);
      for (const [operation, count] of rollup.attachments)
        held.attachments.set(operation, (held.attachments.get(operation) ?? 0) + count);
      for (const ip of rollup.sourceIps) if (held.sourceIps.size < MAX_ROLLUP_SOURCE_IPS) held.sourceIps.add(ip);
      for (const agent of rollup.userAgents)
        if (held.userAgents.size < MAX_ROLLUP_USER_AGENTS) held.userAgents.add(agent);
    }
    if (this.rollups.size > 0) this.heldSince ??= now;
  }
}

/** A stored roll-up item (its counts as attributes `c|<operation>`), as context entries: one per operation, with `count`. */
export function rollupEntries(item: Record<string, unknown>, sk: string): ActivityEntry[] {
  const last = typeof item.last === 'number' ? item.last : undefined;
  if (last === undefined) return [];
  const strings = (value: unknown): string[] =>
    value instanceof Set ? [...value].filter((entry): entry is string => typeof entry === 'string') : [];
  const sourceIps = strings(item.sourceIps);
  const userAgents = strings(item.userAgents);
  const entries: ActivityEntry[] = [];
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(COUNT_PREFIX) || typeof value !== 'number' || value <= 0) continue;
    const operation = decode(name.slice(COUNT_PREFIX.length));
    if (operation === undefined) continue;
    const attachments = item[`${ATTACHMENTS_PREFIX}${name.slice(COUNT_PREFIX.length)}`];
    const first = entries.length === 0;
    entries.push({
      time: last,
      eventId: `rollup:${sk}:${name.slice(COUNT_PREFIX.length)}`,
      eventName: operation.eventName,
      eventSource: operation.eventSource,
      eventCategory: operation.eventCategory,
      resourceArns: [],
      ids: {
        ...(operation.applicationId !== undefined ? { applicationId: operation.applicationId } : {}),
        ...(operation.pluginId !== undefined ? { pluginId: operation.pluginId } : {}),
      },
      count: value,
      ...(operation.errorCode !== undefined ? { errorCode: operation.errorCode } : {}),
      ...(typeof attachments === 'number' && attachments > 0 ? { attachments } : {}),
      // The principal-hour's addresses and agents, once.
      ...(first && sourceIps.length > 0 ? { sourceIps } : {}),
      ...(first && userAgents.length > 0 ? { userAgents } : {}),
    });
  }
  return entries;
}
