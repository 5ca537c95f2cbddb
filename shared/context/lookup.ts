/**
 * A principal's recent Amazon Q management events from CloudTrail LookupEvents, within a per-alert call
 * budget and the shared rate limiter. LookupEvents takes one lookup attribute per call and cannot filter
 * by event source at the same time, so the source is filtered here.
 */
import {
  LookupEventsCommand,
  type CloudTrailClient,
  type Event as CloudTrailEvent,
  type LookupAttribute,
} from '@aws-sdk/client-cloudtrail';
import { normalizeEvent, type Principal } from '../events';
import { EVENT_SOURCES } from '../playbook/types';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { toActivityEntry, type ActivityEntry } from './activity';
import type { LookupResult, LookupStop } from './cache';
import type { RateLimiter } from './rate-limiter';
import { errorName } from '../errors';
import { sdkAttempts } from '../retry';

export interface LookupDeps {
  readonly cloudTrail: CloudTrailClient;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  /** LookupEvents HTTP attempts allowed for one alert (pages and retries together). */
  readonly callsPerAlert: number;
  /** Longest total wait (rate limiter and throttling back-off) for one alert. */
  readonly maxWaitMs: number;
}

export interface LookupOutcome {
  readonly result: LookupResult;
  /** LookupEvents HTTP attempts made. */
  readonly calls: number;
}

const PAGE_SIZE = 50;
const BACKOFF_BASE_MS = 250;
/** Role session names are chosen by the caller; only a plain one is used as a lookup value. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * The most selective attribute CloudTrail event history can search for this principal: an IAM user's
 * name (all its keys), else the exact access key (one session's credentials), else a role session name.
 */
export function lookupAttributeFor(principal: Principal): LookupAttribute | undefined {
  if (principal.type === 'IAMUser' && principal.userName !== undefined)
    return { AttributeKey: 'Username', AttributeValue: principal.userName };
  if (principal.accessKeyId !== undefined)
    return { AttributeKey: 'AccessKeyId', AttributeValue: principal.accessKeyId };
  if (principal.type === 'AssumedRole' && principal.arn !== undefined) {
    const sessionName = principal.arn.split('/').pop();
    if (sessionName !== undefined && SESSION_NAME.test(sessionName))
      return { AttributeKey: 'Username', AttributeValue: sessionName };
  }
  if (principal.type === 'Root') return { AttributeKey: 'Username', AttributeValue: 'root' };
  return undefined;
}

function isThrottling(error: unknown): boolean {
  const candidate = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return candidate.name === 'ThrottlingException' || candidate.$metadata?.httpStatusCode === 429;
}

/** Keeps Amazon Q events of this principal only; the full record is in `CloudTrailEvent`. */
export function toEntries(events: readonly CloudTrailEvent[], principalKey: string): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (const event of events) {
    if (!EVENT_SOURCES.some((source) => source === event.EventSource)) continue;
    if (event.CloudTrailEvent === undefined) continue;
    let record: unknown;
    try {
      record = JSON.parse(event.CloudTrailEvent);
    } catch {
      continue;
    }
    const normalized = normalizeEvent(record, event.CloudTrailEvent.length);
    if (!normalized.ok || normalized.event.principal.key !== principalKey) continue;
    entries.push(toActivityEntry(normalized.event));
  }
  return entries;
}

export async function lookupPrincipalEvents(
  deps: LookupDeps,
  principal: Principal,
  sinceMs: number,
): Promise<LookupOutcome> {
  const now = deps.clock.now();
  const fetchedAt = new Date(now).toISOString();
  const attribute = lookupAttributeFor(principal);
  if (attribute === undefined) {
    return {
      calls: 0,
      result: {
        fetchedAt,
        sinceMs,
        entries: [],
        complete: false,
        stoppedBy: 'no-attribute',
        note: 'CloudTrail event history has no lookup attribute for this kind of principal; management events were not searched.',
      },
    };
  }
  const entries = new Map<string, ActivityEntry>();
  let calls = 0;
  let waited = 0;
  let throttles = 0;
  let nextToken: string | undefined;
  let note: string | undefined;
  let complete = false;
  let stoppedBy: LookupStop | undefined;
  const finish = (): LookupOutcome => ({
    calls,
    result: {
      fetchedAt,
      sinceMs,
      entries: [...entries.values()],
      complete,
      ...(note !== undefined ? { note } : {}),
      ...(stoppedBy !== undefined ? { stoppedBy } : {}),
    },
  });
  const wait = async (ms: number): Promise<boolean> => {
    if (waited + ms > deps.maxWaitMs) return false;
    waited += ms;
    await deps.sleep(ms);
    return true;
  };

  for (;;) {
    if (calls >= deps.callsPerAlert) {
      stoppedBy = 'budget';
      note = `CloudTrail event history search stopped at its budget of ${deps.callsPerAlert} LookupEvents calls; older management events were not examined.`;
      return finish();
    }
    const waitMs = await deps.rateLimiter.tryAcquire();
    if (waitMs > 0) {
      if (await wait(waitMs)) continue;
      stoppedBy = 'rate-limit';
      note = 'The shared LookupEvents rate limit was exhausted; older management events were not examined.';
      return finish();
    }
    try {
      const output = await deps.cloudTrail.send(
        new LookupEventsCommand({
          LookupAttributes: [attribute],
          StartTime: new Date(sinceMs),
          EndTime: new Date(now),
          MaxResults: PAGE_SIZE,
          ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
        }),
      );
      calls += sdkAttempts(output);
      for (const entry of toEntries(output.Events ?? [], principal.key)) entries.set(entry.eventId, entry);
      nextToken = output.NextToken === '' ? undefined : output.NextToken;
      if (nextToken === undefined) {
        complete = true;
        return finish();
      }
    } catch (error) {
      calls += sdkAttempts(error);
      if (!isThrottling(error)) {
        deps.logger.warn('context: LookupEvents failed', {
          error: errorName(error, 'an unknown error'),
          principalKey: principal.key,
        });
        stoppedBy = 'error';
        note = `CloudTrail event history could not be searched (${errorName(error, 'an unknown error')}); management events are missing.`;
        return finish();
      }
      throttles += 1;
      deps.logger.info('context: LookupEvents throttled', { throttles, calls });
      const backoff = BACKOFF_BASE_MS * 2 ** (throttles - 1);
      if (calls >= deps.callsPerAlert || !(await wait(backoff))) {
        stoppedBy = 'throttled';
        note = `CloudTrail event history kept throttling (${throttles} ThrottlingException); older management events were not examined.`;
        return finish();
      }
    }
  }
}
