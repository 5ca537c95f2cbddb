/**
 * Incidents: a batch's events folded into the stored incident of their (principal, rule), by conditional
 * writes. A generation keeps its identity through retries: its id comes from its first event, and events of a
 * generation that closed before the stored one opened (a failed batch retried after a later one went through)
 * rebuild that generation rather than fold into the stored one.
 */
import { foldEvent, openAlert, type AlertSubject } from '../alerts/builder';
import type { Alert, EventSample } from '../alerts/model';
import type { Policy } from '../classify/policy';
import type { TriageEvent } from '../events';
import type { Logger } from '../logger';
import { isPagingSeverity } from '../playbook/types';
import type { IncidentRecord, StateStore } from '../state/store';

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
  /** A published incident has an update not yet announced. */
  publishUpdate: boolean;
  /** The generation is the one stored (a generation closed within the batch, or rebuilt by a retry, is not). */
  stored: boolean;
  readonly eventIndexes: Set<number>;
}

const MAX_WRITE_ATTEMPTS = 8;

export class IncidentConflictError extends Error {
  override readonly name = 'IncidentConflictError';
}

export interface Incidents {
  /** Applies one key's work items, in time order, to its stored incident; retries on a lost race. */
  apply(key: string, items: readonly Work[]): Promise<Generation[]>;
  /** Records that the stored generation's first message and updates up to `alert.updates` went out. */
  markAnnounced(key: string, alert: Alert): Promise<void>;
}

export function createIncidents(deps: { readonly store: StateStore; readonly policy: Policy; readonly logger: Logger }): Incidents {
  const { store, policy, logger } = deps;
  const windowMs = policy.aggregationWindowMs;

  const expired = (alert: Alert, event: TriageEvent): boolean =>
    event.time - Date.parse(alert.lastSeen) > windowMs || event.time - Date.parse(alert.firstSeen) > policy.maxIncidentMs;
  /** An event from before a generation's window: it belongs to an earlier generation. */
  const earlier = (alert: Alert, event: TriageEvent): boolean => Date.parse(alert.firstSeen) - event.time > windowMs;
  /**
   * An event that would lift an incident to the paging severities starts an incident of its own: updates never
   * page, so a denied CreatePlugin (MEDIUM) must not absorb the successful one (HIGH) that follows it.
   */
  const escalates = (alert: Alert, subject: AlertSubject): boolean => isPagingSeverity(subject.severity) && !isPagingSeverity(alert.severity);

  function open(item: Work): Generation {
    const alert = openAlert(item.subject, item.event, item.initialCount);
    return {
      alert: item.evidence === undefined ? alert : { ...alert, samples: [item.evidence, ...alert.samples] },
      publishNew: true,
      publishUpdate: false,
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

  async function apply(key: string, items: readonly Work[]): Promise<Generation[]> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      const closed: Generation[] = [];
      /** Generations older than the stored one, rebuilt from retried events. */
      const rebuilt: Generation[] = [];
      let current: Generation | undefined;
      let storedChanged = false;
      if (stored !== undefined) {
        current = { alert: stored.alert, publishNew: !stored.published, publishUpdate: false, stored: true, eventIndexes: new Set() };
      }
      for (const item of items) {
        if (stored !== undefined && earlier(stored.alert, item.event)) {
          const last = rebuilt[rebuilt.length - 1];
          if (last === undefined || expired(last.alert, item.event) || escalates(last.alert, item.subject)) rebuilt.push(open(item));
          else fold(last, item);
          continue;
        }
        if (current === undefined || expired(current.alert, item.event) || escalates(current.alert, item.subject)) {
          if (current !== undefined && (current.eventIndexes.size > 0 || current.publishNew)) closed.push({ ...current, stored: false });
          current = { ...open(item), stored: true };
          continue;
        }
        if (fold(current, item) && stored !== undefined && current.alert.id === stored.alert.id) storedChanged = true;
      }
      if (current === undefined) return rebuilt;
      const sameAsStored = stored !== undefined && stored.alert.id === current.alert.id;
      const published = sameAsStored && stored.published;
      const announcedUpdates = sameAsStored ? stored.announcedUpdates : 0;
      if (published && storedChanged) current.alert = { ...current.alert, updates: current.alert.updates + 1 };
      current.publishUpdate = published && current.alert.updates > announcedUpdates;
      const record: IncidentRecord = { key, version: (stored?.version ?? 0) + 1, alert: current.alert, published, announcedUpdates };
      const unchanged = sameAsStored && !storedChanged;
      if (unchanged || (await store.putIncident(record, stored?.version))) return [...rebuilt, ...closed, current];
      logger.debug('incident write lost a race; retrying', { incidentKey: key, attempt });
    }
    throw new IncidentConflictError(`incident ${key} kept changing under concurrent writers`);
  }

  async function markAnnounced(key: string, alert: Alert): Promise<void> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
      const stored = await store.getIncident(key);
      if (stored === undefined || stored.alert.id !== alert.id) return;
      const announcedUpdates = Math.max(stored.announcedUpdates, alert.updates);
      if (stored.published && stored.announcedUpdates === announcedUpdates) return;
      const record: IncidentRecord = {
        ...stored,
        version: stored.version + 1,
        published: true,
        announcedUpdates,
        alert: { ...stored.alert, enrichment: alert.enrichment ?? stored.alert.enrichment, paged: stored.alert.paged || alert.paged },
      };
      if (await store.putIncident(record, stored.version)) return;
    }
    throw new IncidentConflictError(`could not record what was sent for incident ${key}`);
  }

  return { apply, markAnnounced };
}
