/**
 * Incidents: a batch's events folded into the stored incident of their principal (one per actor episode, across
 * operations and rules), by conditional writes. A generation keeps its identity through retries: its id comes from its first event, and events of a
 * generation that closed before the stored one opened (a failed batch retried after a later one went through)
 * rebuild that generation rather than fold into the stored one.
 */
import { foldEvent, openAlert, type AlertSubject } from '../alerts/builder';
import type { Alert, EventSample } from '../alerts/model';
import type { Policy } from '../classify/policy';
import type { TriageEvent } from '../events';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import { isPagingSeverity, maxSeverity, severityRank, type Severity } from '../playbook/types';
import type { IncidentRecord, StateStore } from '../state/store';
import { QTriageError } from '../errors';

/** One event's contribution to an incident. */
export interface Work {
  readonly index: number;
  readonly event: TriageEvent;
  readonly subject: AlertSubject;
  readonly initialCount: number;
  /** An earlier record shown beside this one (the other record of a reused eventID). */
  readonly evidence?: EventSample;
}

/** One incident generation touched by a batch, and what must be sent for it. */
export interface Generation {
  alert: Alert;
  /** Its first message is not known to be delivered: send it (the delivery records skip what was). */
  publishNew: boolean;
  /** A published incident has an update to announce now (due by the rate limit, a page, or its close). */
  publishUpdate: boolean;
  /** A published incident rose to a paging severity above any it paged for: the update pages, as the same incident. */
  pageRise: boolean;
  /** A page was decided for this incident before (a rise to CRITICAL after a HIGH page pages under its own id). */
  pagedBefore: boolean;
  /** The generation is the one stored (a generation closed within the batch, or rebuilt by a retry, is not). */
  stored: boolean;
  readonly eventIndexes: Set<number>;
}

const MAX_WRITE_ATTEMPTS = 8;

export class IncidentConflictError extends QTriageError {
  override readonly name = 'IncidentConflictError';
}

export interface Incidents {
  /** Applies one key's work items, in time order, to its stored incident; retries on a lost race. */
  apply(key: string, items: readonly Work[]): Promise<Generation[]>;
  /**
   * Records that the stored generation's first message and updates up to `alert.updates` went out, and, with
   * `pageDecided`, that its page at `alert.severity` was decided (sent, or held back by the cap). Keeps the
   * alert's playbook answer, when it brings one, for the incident's later updates.
   */
  markAnnounced(key: string, alert: Alert, pageDecided: boolean): Promise<void>;
  /**
   * The sweep's part (no event brings it): what the stored incident owes now. An incident whose episode ended is
   * closed first (conditional write): its closing update carries the final counts and whatever was held back,
   * under the next update number. A held-back update whose interval passed is owed as it is. Never a page.
   */
  owedWithoutEvents(key: string): Promise<Generation | undefined>;
}

export interface IncidentsDeps {
  readonly store: StateStore;
  readonly policy: Policy;
  readonly logger: Logger;
  readonly clock: Clock;
  /** At most one update message per incident per this many milliseconds (pages and the close are not held back). */
  readonly updateIntervalMs: number;
  /** How long after its episode's end (event time) the sweep closes an incident; default CLOSE_GRACE_MS. */
  readonly closeGraceMs?: number;
}

/**
 * CloudTrail hands most events to EventBridge within minutes, not all at once: an incident is closed this long
 * after its last event's window ran out, so that a late event of the episode still joins it before it closes.
 */
export const CLOSE_GRACE_MS = 5 * 60_000;

/** Whether an incident at `severity` owes a page, given the highest severity it paged for. */
export function owesPage(severity: Severity, pagedSeverity: Severity | undefined): boolean {
  return (
    isPagingSeverity(severity) && (pagedSeverity === undefined || severityRank(severity) > severityRank(pagedSeverity))
  );
}

export function createIncidents(deps: IncidentsDeps): Incidents {
  const { store, policy, logger, clock, updateIntervalMs } = deps;
  const windowMs = policy.aggregationWindowMs;
  const closeGraceMs = deps.closeGraceMs ?? CLOSE_GRACE_MS;

  /** Wall-clock time from which no event can join the incident any more (its episode's end plus the grace). */
  const endOf = (alert: Alert): number =>
    Math.min(Date.parse(alert.lastSeen) + windowMs, Date.parse(alert.firstSeen) + policy.maxIncidentMs) + closeGraceMs;

  /** When the incident owes a message no event will bring (see IncidentRecord.dueAt). */
  function dueAt(record: IncidentRecord): number | undefined {
    if (!record.published) return undefined;
    const pending = record.alert.updates > record.announcedUpdates;
    if (record.closedAtUpdate === undefined)
      return pending && record.announcedAt !== undefined
        ? Math.min(endOf(record.alert), record.announcedAt + updateIntervalMs)
        : endOf(record.alert);
    if (!pending) return undefined;
    // The closing message itself not yet sent: at once; an update after the close (a late event): by the interval.
    return record.announcedUpdates < record.closedAtUpdate
      ? endOf(record.alert)
      : (record.announcedAt ?? 0) + updateIntervalMs;
  }
  const withDue = (record: IncidentRecord): IncidentRecord => {
    const { dueAt: _previous, ...rest } = record;
    const due = dueAt(rest);
    return due === undefined ? rest : { ...rest, dueAt: due };
  };
  const closedNow = (alert: Alert, updates: number): Alert => ({
    ...alert,
    updates,
    closedAt: new Date(clock.now()).toISOString(),
  });

  const expired = (alert: Alert, event: TriageEvent): boolean =>
    event.time - Date.parse(alert.lastSeen) > windowMs ||
    event.time - Date.parse(alert.firstSeen) > policy.maxIncidentMs;
  /** An event from before a generation's window: it belongs to an earlier generation. */
  const earlier = (alert: Alert, event: TriageEvent): boolean => Date.parse(alert.firstSeen) - event.time > windowMs;
  function open(item: Work): Generation {
    const alert = openAlert(item.subject, item.event, item.initialCount);
    return {
      alert: item.evidence === undefined ? alert : { ...alert, samples: [item.evidence, ...alert.samples] },
      publishNew: true,
      publishUpdate: false,
      pageRise: false,
      pagedBefore: false,
      stored: false,
      eventIndexes: new Set([item.index]),
    };
  }

  /** Folds the item into the generation; true if the incident changed (an event it did not hold). */
  function fold(generation: Generation, item: Work): boolean {
    const before = generation.alert;
    generation.alert = foldEvent(before, item.subject, item.event);
    generation.eventIndexes.add(item.index);
    return generation.alert !== before;
  }

  /**
   * What a generation that held the stored record owes, now that this batch is folded in: a published one counts
   * its change as an update, pages a rise to a paging severity, and announces the update when one is due: at once
   * with a page, when it closes, or when the last message is `updateIntervalMs` old.
   */
  function owed(generation: Generation, stored: IncidentRecord, changed: boolean, closing: boolean): void {
    if (!stored.published) return;
    if (changed) generation.alert = { ...generation.alert, updates: generation.alert.updates + 1 };
    generation.pagedBefore = stored.pagedSeverity !== undefined;
    generation.pageRise = owesPage(generation.alert.severity, stored.pagedSeverity);
    const { escalation } = generation.alert;
    // The rise's page and update say so (render/common.ts); later updates of the incident do not.
    if (generation.pageRise && escalation !== undefined)
      generation.alert = { ...generation.alert, escalation: { ...escalation, update: generation.alert.updates } };
    if (closing && stored.closedAtUpdate === undefined) {
      // The episode ended before the sweep closed it: its one closing message, carrying what was held back.
      const pending = generation.alert.updates > stored.announcedUpdates;
      generation.alert = closedNow(generation.alert, pending ? generation.alert.updates : generation.alert.updates + 1);
      generation.publishUpdate = true;
      return;
    }
    const due =
      closing ||
      generation.pageRise ||
      stored.announcedAt === undefined ||
      clock.now() - stored.announcedAt >= updateIntervalMs;
    generation.publishUpdate = generation.alert.updates > stored.announcedUpdates && due;
  }

  async function apply(key: string, items: readonly Work[]): Promise<Generation[]> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      const closed: Generation[] = [];
      /** Generations older than the stored one, rebuilt from retried events. */
      const rebuilt: Generation[] = [];
      let current: Generation | undefined;
      /** The stored generation took an event it did not hold. */
      let storedChanged = false;
      if (stored !== undefined) {
        current = {
          alert: stored.alert,
          publishNew: !stored.published,
          publishUpdate: false,
          pageRise: false,
          pagedBefore: false,
          stored: true,
          eventIndexes: new Set(),
        };
      }
      const isStored = (generation: Generation | undefined): boolean =>
        stored !== undefined && generation?.alert.id === stored.alert.id;
      /** A closed incident takes no new event (a redelivered one of its own is folded: counted once, as before). */
      const closedTo = (generation: Generation, item: Work): boolean =>
        stored?.closedAtUpdate !== undefined &&
        isStored(generation) &&
        !generation.alert.eventIds.includes(item.event.eventId);
      for (const item of items) {
        if (stored !== undefined && earlier(stored.alert, item.event)) {
          const last = rebuilt[rebuilt.length - 1];
          if (last === undefined || expired(last.alert, item.event)) rebuilt.push(open(item));
          else fold(last, item);
          continue;
        }
        if (current === undefined || expired(current.alert, item.event) || closedTo(current, item)) {
          if (current !== undefined && isStored(current) && stored !== undefined)
            owed(current, stored, storedChanged, true);
          if (current !== undefined && (current.eventIndexes.size > 0 || current.publishNew || current.publishUpdate))
            closed.push({ ...current, stored: false });
          current = { ...open(item), stored: true };
          continue;
        }
        if (fold(current, item) && isStored(current)) storedChanged = true;
      }
      if (current === undefined) return rebuilt;
      const sameAsStored = stored !== undefined && isStored(current);
      if (sameAsStored) owed(current, stored, storedChanged, false);
      const record: IncidentRecord = withDue({
        key,
        version: (stored?.version ?? 0) + 1,
        alert: current.alert,
        published: sameAsStored && stored.published,
        announcedUpdates: sameAsStored ? stored.announcedUpdates : 0,
        ...(sameAsStored && stored.pagedSeverity !== undefined ? { pagedSeverity: stored.pagedSeverity } : {}),
        ...(sameAsStored && stored.announcedAt !== undefined ? { announcedAt: stored.announcedAt } : {}),
        ...(sameAsStored && stored.closedAtUpdate !== undefined ? { closedAtUpdate: stored.closedAtUpdate } : {}),
      });
      const unchanged = sameAsStored && !storedChanged;
      if (unchanged || (await store.putIncident(record, stored?.version))) return [...rebuilt, ...closed, current];
      logger.debug('incident write lost a race; retrying', { incidentKey: key, attempt });
    }
    throw new IncidentConflictError(`incident ${key} kept changing under concurrent writers`);
  }

  async function markAnnounced(key: string, alert: Alert, pageDecided: boolean): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      if (stored === undefined || stored.alert.id !== alert.id) return;
      const announcedUpdates = Math.max(stored.announcedUpdates, alert.updates);
      const pagedSeverity = pageDecided
        ? stored.pagedSeverity === undefined
          ? alert.severity
          : maxSeverity(stored.pagedSeverity, alert.severity)
        : stored.pagedSeverity;
      const newAnswer = alert.enrichment !== undefined && stored.alert.enrichment === undefined;
      if (
        stored.published &&
        stored.announcedUpdates === announcedUpdates &&
        stored.pagedSeverity === pagedSeverity &&
        !newAnswer
      )
        return;
      const record: IncidentRecord = withDue({
        ...stored,
        version: stored.version + 1,
        published: true,
        announcedUpdates,
        announcedAt: clock.now(),
        ...(pagedSeverity !== undefined ? { pagedSeverity } : {}),
        alert: {
          ...stored.alert,
          enrichment: alert.enrichment ?? stored.alert.enrichment,
          paged: stored.alert.paged || alert.paged,
        },
      });
      if (await store.putIncident(record, stored.version)) return;
    }
    throw new IncidentConflictError(`could not record what was sent for incident ${key}`);
  }

  async function owedWithoutEvents(key: string): Promise<Generation | undefined> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      if (stored === undefined) return undefined;
      const generation: Generation = {
        alert: stored.alert,
        publishNew: false,
        publishUpdate: true,
        pageRise: false,
        pagedBefore: stored.pagedSeverity !== undefined,
        stored: true,
        eventIndexes: new Set(),
      };
      const now = clock.now();
      if (stored.published && stored.closedAtUpdate === undefined && now >= endOf(stored.alert)) {
        const updates =
          stored.alert.updates > stored.announcedUpdates ? stored.alert.updates : stored.alert.updates + 1;
        const alert = closedNow(stored.alert, updates);
        if (
          await store.putIncident(
            withDue({ ...stored, version: stored.version + 1, alert, closedAtUpdate: updates }),
            stored.version,
          )
        )
          return { ...generation, alert };
        logger.debug('incident close lost a race; retrying', { incidentKey: key, attempt });
        continue;
      }
      const due = dueAt(stored);
      if (due !== undefined && due <= now && stored.alert.updates > stored.announcedUpdates) return generation;
      // Nothing owed now: keep the index entry honest (a stale dueAt would bring the sweep back every time).
      if (
        due === stored.dueAt ||
        (await store.putIncident(withDue({ ...stored, version: stored.version + 1 }), stored.version))
      )
        return undefined;
    }
    throw new IncidentConflictError(`incident ${key} kept changing while the sweep read it`);
  }

  return { apply, markAnnounced, owedWithoutEvents };
}
