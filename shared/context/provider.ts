/**
 * Principal context for an alert: CloudTrail event history (management events, cached per principal)
 * plus the pipeline's activity log (data events), summarised as answers to the playbook's questions.
 * `describe` never throws: whatever could not be read is said in `note` with `complete: false`.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { Alert, PrincipalContext } from '../alerts/model';
import { sleep as realSleep, type Clock } from '../clock';
import type { Logger } from '../logger';
import { severityRank } from '../playbook/types';
import { ACTIVITY_RETENTION_MS, type ActivityEntry, type ActivityLog } from './activity';
import type { LookupCache, LookupResult } from './cache';
import { lookupPrincipalEvents } from './lookup';
import type { RateLimiter } from './rate-limiter';
import { summarizeActivity } from './summary';
import { errorName } from '../errors';

export interface ContextProviderDeps {
  readonly cloudTrail: CloudTrailClient;
  readonly activityLog: ActivityLog;
  readonly cache: LookupCache;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `CONTEXT_WINDOW_HOURS`. */
  readonly windowHours: number;
  /** `LOOKUP_CALLS_PER_ALERT`. */
  readonly callsPerAlert: number;
  /** How long a complete lookup is reused for the same principal. */
  readonly cacheTtlMs?: number;
  /** How long a lookup cut short by throttling, the rate limit or an error is reused: short, but it still shields a storm. */
  readonly partialCacheTtlMs?: number;
  /** Longest wait for the rate limiter and throttling back-off, per alert. */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface ContextProvider {
  describe(alert: Alert): Promise<PrincipalContext>;
}

/** Alerts below this severity go out without context (the caller checks with `wantsContext`). */
export const CONTEXT_MIN_SEVERITY = 'MEDIUM';

export function wantsContext(alert: Pick<Alert, 'severity'>): boolean {
  return severityRank(alert.severity) >= severityRank(CONTEXT_MIN_SEVERITY);
}

const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
const DEFAULT_PARTIAL_CACHE_TTL_MS = 60_000;
const DEFAULT_MAX_WAIT_MS = 3_000;

export function createContextProvider(
  deps: ContextProviderDeps,
): ContextProvider & { readonly lookupCalls: () => number } {
  const cacheTtlMs = deps.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const partialCacheTtlMs = deps.partialCacheTtlMs ?? DEFAULT_PARTIAL_CACHE_TTL_MS;
  const lookupDeps = {
    cloudTrail: deps.cloudTrail,
    rateLimiter: deps.rateLimiter,
    clock: deps.clock,
    logger: deps.logger,
    sleep: deps.sleep ?? realSleep,
    callsPerAlert: deps.callsPerAlert,
    maxWaitMs: deps.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
  };
  let totalCalls = 0;

  async function managementEvents(alert: Alert, sinceMs: number): Promise<LookupResult | { readonly failed: string }> {
    const key = alert.principal.key;
    try {
      const cached = await deps.cache.get(key);
      // A cached search that began later than this window would miss its start: search again.
      if (cached !== undefined && cached.sinceMs <= sinceMs + cacheTtlMs) return cached;
    } catch (error) {
      deps.logger.warn('context: lookup cache unreadable', {
        principalKey: key,
        error: errorName(error, 'an unknown error'),
      });
    }
    try {
      const { result, calls } = await lookupPrincipalEvents(lookupDeps, alert.principal, sinceMs);
      totalCalls += calls;
      deps.logger.info('context: LookupEvents', {
        alertId: alert.id,
        principalKey: key,
        calls,
        complete: result.complete,
        events: result.entries.length,
      });
      try {
        // A search stopped by its budget would stop at the same place again: keep it as long as a complete one.
        const final = result.complete || result.stoppedBy === 'budget' || result.stoppedBy === 'no-attribute';
        await deps.cache.put(key, result, final ? cacheTtlMs : partialCacheTtlMs);
      } catch (error) {
        deps.logger.warn('context: lookup cache not written', {
          principalKey: key,
          error: errorName(error, 'an unknown error'),
        });
      }
      return result;
    } catch (error) {
      deps.logger.warn('context: CloudTrail lookup failed', {
        alertId: alert.id,
        error: errorName(error, 'an unknown error'),
      });
      return { failed: `CloudTrail event history could not be searched (${errorName(error, 'an unknown error')}).` };
    }
  }

  async function dataEvents(
    alert: Alert,
    sinceMs: number,
  ): Promise<{ entries: ActivityEntry[]; earliest?: number } | { readonly failed: string }> {
    try {
      const [entries, earliest] = await Promise.all([
        deps.activityLog.query(alert.principal.key, sinceMs),
        deps.activityLog.earliest(alert.principal.key),
      ]);
      return { entries, ...(earliest !== undefined ? { earliest: earliest.time } : {}) };
    } catch (error) {
      deps.logger.warn('context: activity log unreadable', {
        alertId: alert.id,
        error: errorName(error, 'an unknown error'),
      });
      return {
        failed: `The activity log could not be read (${errorName(error, 'an unknown error')}); data events are missing.`,
      };
    }
  }

  return {
    lookupCalls: () => totalCalls,
    async describe(alert) {
      const now = deps.clock.now();
      const sinceMs = now - deps.windowHours * 3600_000;
      const [management, data] = await Promise.all([managementEvents(alert, sinceMs), dataEvents(alert, sinceMs)]);
      const notes: string[] = [];
      const byId = new Map<string, ActivityEntry>();
      let earliest: number | undefined;
      if ('failed' in data) notes.push(data.failed);
      else {
        for (const entry of data.entries) byId.set(entry.eventId, entry);
        earliest = data.earliest;
      }
      let complete = !('failed' in data);
      if ('failed' in management) {
        notes.push(management.failed);
        complete = false;
      } else {
        for (const entry of management.entries) if (entry.time >= sinceMs) byId.set(entry.eventId, entry);
        if (!management.complete) complete = false;
        if (management.note !== undefined) notes.push(management.note);
      }
      const entries = [...byId.values()].sort((a, b) => a.time - b.time);
      const oldest = entries[0]?.time;
      if (oldest !== undefined && (earliest === undefined || oldest < earliest)) earliest = oldest;
      return summarizeActivity({
        entries,
        windowHours: deps.windowHours,
        sinceMs,
        retentionDays: ACTIVITY_RETENTION_MS / 86_400_000,
        complete,
        ...(earliest !== undefined ? { earliest } : {}),
        ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
      });
    },
  };
}
